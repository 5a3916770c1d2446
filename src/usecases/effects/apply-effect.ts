import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { EFFECT_JOBS, type EffectJob } from '../../jobs/effect-jobs.ts';
import { readJobPayload, type JobPayload } from '../../jobs/job-contract.ts';
import { SCHEDULE_RUN_JOB } from '../../jobs/schedule-run.job.ts';
import { raiseAlert } from '../../store/alerts.store.ts';
import { findOutboxRow, findOutboxRows, markOutboxApplied, noteOutboxError, type CommittedOutboxRow, type OutboxRow } from '../../store/outbox.store.ts';
import { applyScheduleBatch, BATCHED_SCHEDULE_TOPICS, DEFAULT_SCHEDULE_BATCH } from './apply-schedule-batch.ts';
import { cancelDeadlines } from './cancel-deadlines.ts';
import { closeTasks } from './close-tasks.ts';
import { createTask } from './create-task.ts';
import { EffectRefused, type EffectDeps } from './effect-deps.ts';
import { planDeadline, replanDeadlines } from './plan-deadlines.ts';
import { sendDelegateLink } from './send-task-links.ts';
import { sendNotice } from './send-notice.ts';

type Handlers = { [J in EffectJob as J['name']]: (deps: EffectDeps, payload: JobPayload<J>) => Promise<unknown> };

/** The one verb each topic runs. */
const HANDLERS: Handlers = {
  'schedule.plan': planDeadline,
  'schedule.cancel': cancelDeadlines,
  'schedule.replan': replanDeadlines,
  'task.open': createTask,
  'task.close': closeTasks,
  'task.delegated': sendDelegateLink,
  notify: sendNotice,
};
const CONTRACTS = new Map<string, EffectJob>(EFFECT_JOBS.map((job) => [job.name, job]));

/** Parses an effect's payload by its contract; a payload that can never be valid is refused. */
export function readEffect(name: string, data: unknown): { contract: EffectJob; payload: unknown } {
  const contract = CONTRACTS.get(name);
  if (!contract) throw new EffectRefused(`no handler for effect ${name}`);
  const read = readJobPayload(contract, data);
  if (!read.ok) throw new EffectRefused(read.reason);
  return { contract, payload: read.payload };
}

/** Runs the topic's verb on a payload already read (no check against the outbox: benchmarks and tests of the verbs). */
export async function runEffect(deps: EffectDeps, name: string, data: unknown): Promise<unknown> {
  const { contract, payload } = readEffect(name, data);
  return (HANDLERS[contract.name] as (deps: EffectDeps, payload: unknown) => Promise<unknown>)(deps, payload);
}

/** `batch`: how many outbox rows were applied with this one (schedule effects; see applyScheduleBatch). */
export type AppliedEffect = { status: 'applied'; result: unknown; batch?: number } | { status: 'already-applied' };

/**
 * Applies one effect job of a committed transition, exactly as the project's history committed it:
 * the job must name (by its id) an outbox row of its topic with the same payload, for an event the
 * project really has; anything else (a job added through Redis or the queue board) is refused and
 * raises a red alert, and changes nothing. The row is then marked applied, which is what ends its
 * relaying: a row relayed but never applied (its job lost with Redis) is relayed again.
 * Every verb is idempotent by its keys, so applying again what a crash interrupted finishes it.
 * A schedule plan or replan takes other waiting ones with it (applyScheduleBatch), whose own jobs
 * then find them applied; a schedule.run job (the relay's run of consecutive ones, as after an
 * outage) names several rows, each checked as above, and applies them in one batch.
 */
export async function applyEffect(deps: EffectDeps, job: { id: string | undefined; name: string; data: unknown }): Promise<AppliedEffect> {
  if (job.name === SCHEDULE_RUN_JOB.name) return applyScheduleRun(deps, job);
  readEffect(job.name, job.data);
  const row = job.id ? await findOutboxRow(deps.db, job.id) : undefined;
  const refusal = whyNotCommitted(row, job);
  if (refusal) return refuse(deps, job, refusal);
  if (row!.applied_at) return { status: 'already-applied' };
  if (BATCHED_SCHEDULE_TOPICS.includes(row!.topic) && batching(deps)) {
    try {
      return await applyScheduleBatch(deps, [row!]);
    } catch (error) {
      if (error instanceof EffectRefused) throw error;
      // Any row of the batch may be what failed: this job's own row alone next, as without batching.
    }
  }
  return { status: 'applied', result: await applyAlone(deps, row!) };
}

const batching = (deps: EffectDeps) => (deps.scheduleBatchSize ?? DEFAULT_SCHEDULE_BATCH) > 1;

/**
 * A schedule.run job (the relay's run of consecutive schedule effects): every row it names must be a
 * committed schedule plan or replan of an event its project has, else the whole job is refused as
 * forged. Its unapplied rows are applied in one batch; if the batch fails, each row alone, in outbox
 * order, so that one bad row does not hold back the others (the job fails after, for its retries).
 */
async function applyScheduleRun(deps: EffectDeps, job: { id: string | undefined; name: string; data: unknown }): Promise<AppliedEffect> {
  const read = readJobPayload(SCHEDULE_RUN_JOB, job.data);
  if (!read.ok) throw new EffectRefused(read.reason);
  const found = new Map((await findOutboxRows(deps.db, read.payload.keys)).map((row) => [row.dedupe_key, row]));
  const rows: CommittedOutboxRow[] = [];
  for (const key of read.payload.keys) {
    const row = found.get(key);
    const refusal = !row
      ? 'no outbox row has this key'
      : !BATCHED_SCHEDULE_TOPICS.includes(row.topic)
        ? `the outbox row is a ${row.topic}, not a schedule plan or replan`
        : whyNotCommitted(row, { name: row.topic, data: row.payload });
    if (refusal) return refuse(deps, job, `${key}: ${refusal}`);
    rows.push(row!);
  }
  const pending = rows.filter((row) => !row.applied_at);
  if (pending.length === 0) return { status: 'already-applied' };
  if (batching(deps)) {
    try {
      return await applyScheduleBatch(deps, pending);
    } catch (error) {
      if (error instanceof EffectRefused) throw error;
    }
  }
  let failure: unknown;
  for (const row of pending) {
    try {
      await applyAlone(deps, row);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return { status: 'applied', result: null, batch: pending.length };
}

/** Runs the row's verb on the row's own payload (the database is the truth), then marks it applied. */
async function applyAlone(deps: EffectDeps, row: OutboxRow): Promise<unknown> {
  let result: unknown;
  try {
    result = await (HANDLERS[row.topic as EffectJob['name']] as (deps: EffectDeps, payload: unknown) => Promise<unknown>)(deps, readEffect(row.topic, row.payload).payload);
  } catch (error) {
    if (!(error instanceof EffectRefused)) await noteOutboxError(deps.db, row.id, (error as Error).message).catch(() => undefined);
    throw error;
  }
  await markOutboxApplied(deps.db, row.id, deps.now());
  return result;
}

/** Raises the red effect.forged alert and refuses the job: it changes nothing. */
async function refuse(deps: EffectDeps, job: { id: string | undefined; name: string; data: unknown }, refusal: string): Promise<never> {
  await raiseAlert(deps.db, {
    kind: 'effect.forged',
    severity: 'red',
    projectId: null,
    audienceRole: 'admin',
    dedupeKey: `effect-forged.${job.name}.${job.id ?? 'no-id'}.${createHash('sha256').update(JSON.stringify(job.data) ?? '').digest('hex').slice(0, 16)}`,
    message: `拒绝执行与项目记录不符的任务 / refused a ${job.name} job (id ${job.id ?? '-'}) that the project's committed history does not contain: ${refusal}`,
    details: { jobId: job.id ?? null, name: job.name, data: job.data as Record<string, unknown> },
    at: deps.now(),
  });
  throw new EffectRefused(`job ${job.id ?? '-'} (${job.name}) does not match the committed history: ${refusal}`);
}

function whyNotCommitted(row: CommittedOutboxRow | undefined, job: { name: string; data: unknown }): string | null {
  if (!row) return 'no outbox row has this job id';
  if (row.topic !== job.name) return `the outbox row is a ${row.topic}, not a ${job.name}`;
  if (!isDeepStrictEqual(row.payload, job.data)) return 'the payload differs from the outbox row';
  const payload = row.payload as { projectId?: unknown; seq?: unknown };
  if (row.project_id !== payload.projectId || row.event_seq !== payload.seq) return 'the outbox row names another project event';
  if (!row.event_exists) return 'the project has no such event';
  return null;
}
