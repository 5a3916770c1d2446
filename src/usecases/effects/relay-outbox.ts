import type { Queue } from 'bullmq';
import { relayOutboxRows, type OutboxRow } from '../../store/outbox.store.ts';
import type { Database } from './effect-deps.ts';

export interface RelayOptions {
  topics: readonly string[];
  now: Date;
  /** A row relayed this long ago and still not applied by its consumer is relayed again (its job was lost, or given up). */
  redeliverAfterMs: number;
  batchSize?: number;
}

/**
 * Moves committed outbox rows to BullMQ, at least once, and again any relayed row its consumer has
 * not applied after `redeliverAfterMs` (Redis lost its job: FLUSHALL, failover to an empty replica;
 * or the job used up its attempts). The job id is the row's dedupe key, so a row relayed twice while
 * its job still waits or runs is still one job; a finished job of an unapplied row is removed first,
 * since BullMQ would otherwise ignore the add. Rows of other topics stay in the outbox until a
 * consumer for them exists.
 */
export async function relayOutbox(db: Database, queue: Queue, options: RelayOptions): Promise<{ fresh: number; stale: number }> {
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
      await queue.addBulk(rows.map((row) => ({ name: row.topic, data: row.payload, opts: { jobId: row.dedupe_key } })));
    },
  );
}
