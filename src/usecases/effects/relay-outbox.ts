import type { Queue } from 'bullmq';
import { SCHEDULE_RUN_JOB, scheduleRunJobId } from '../../jobs/schedule-run.job.ts';
import { relayOutboxRows, type OutboxRow } from '../../store/outbox.store.ts';
import { BATCHED_SCHEDULE_TOPICS, DEFAULT_SCHEDULE_BATCH } from './apply-schedule-batch.ts';
import type { Database } from './effect-deps.ts';

export interface RelayOptions {
  topics: readonly string[];
  now: Date;
  /** A row relayed this long ago and still not applied by its consumer is relayed again (its job was lost, or given up). */
  redeliverAfterMs: number;
  batchSize?: number;
  /** Longest run of consecutive schedule effects handed over as one job (1: every row its own job). */
  runSize?: number;
}

type RelayedJob = { name: string; data: unknown; opts: { jobId: string } };

/**
 * The jobs for fresh rows, in outbox order: each row its own job (name = topic, data = payload, id =
 * dedupe key), except that consecutive schedule plans and replans (a backlog after an outage) go as
 * one schedule.run job naming them, up to `runSize` rows, which the effects worker applies in one
 * transaction and one addBulk. A single row is always its own job.
 */
export function jobsForRows(rows: readonly OutboxRow[], runSize: number): RelayedJob[] {
  const jobs: RelayedJob[] = [];
  let run: OutboxRow[] = [];
  const own = (row: OutboxRow): RelayedJob => ({ name: row.topic, data: row.payload, opts: { jobId: row.dedupe_key } });
  const flush = () => {
    if (run.length === 1) jobs.push(own(run[0]!));
    else if (run.length > 1) {
      const keys = run.map((row) => row.dedupe_key);
      jobs.push({ name: SCHEDULE_RUN_JOB.name, data: { keys }, opts: { jobId: scheduleRunJobId(keys) } });
    }
    run = [];
  };
  for (const row of rows) {
    if (!BATCHED_SCHEDULE_TOPICS.includes(row.topic)) {
      flush();
      jobs.push(own(row));
      continue;
    }
    run.push(row);
    if (run.length >= runSize) flush();
  }
  flush();
  return jobs;
}

/**
 * Moves committed outbox rows to BullMQ, at least once, and again any relayed row its consumer has
 * not applied after `redeliverAfterMs` (Redis lost its job: FLUSHALL, failover to an empty replica;
 * or the job used up its attempts). A row's job id is its dedupe key, so a row relayed twice while
 * its job still waits or runs is still one job; a finished job of an unapplied row is removed first,
 * since BullMQ would otherwise ignore the add. Rows relayed again go each as its own job; fresh runs
 * of schedule effects go as one job each (jobsForRows). Rows of other topics stay in the outbox
 * until a consumer for them exists.
 */
export async function relayOutbox(db: Database, queue: Queue, options: RelayOptions): Promise<{ fresh: number; stale: number }> {
  const runSize = Math.max(1, Math.min(options.runSize ?? DEFAULT_SCHEDULE_BATCH, 1_000));
  return relayOutboxRows(
    db,
    { topics: options.topics, batchSize: options.batchSize ?? 500, now: options.now, staleBefore: new Date(options.now.getTime() - options.redeliverAfterMs) },
    async (rows: OutboxRow[], kind) => {
      if (kind === 'stale') {
        for (const row of rows) {
          const state = await queue.getJobState(row.dedupe_key);
          if (state === 'completed' || state === 'failed') await queue.remove(row.dedupe_key);
        }
      }
      await queue.addBulk(kind === 'stale' ? jobsForRows(rows, 1) : jobsForRows(rows, runSize));
    },
  );
}
