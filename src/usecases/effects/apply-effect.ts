import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { EFFECT_JOBS, type EffectJob } from '../../jobs/effect-jobs.ts';
import { readJobPayload, type JobPayload } from '../../jobs/job-contract.ts';
import { raiseAlert } from '../../store/alerts.store.ts';
import { findOutboxRow, markOutboxApplied, noteOutboxError, type OutboxRow } from '../../store/outbox.store.ts';
import { findProjectEvent } from '../../store/tasks.store.ts';
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

export type AppliedEffect = { status: 'applied'; result: unknown } | { status: 'already-applied' };

/**
 * Applies one effect job of a committed transition, exactly as the project's history committed it:
 * the job must name (by its id) an outbox row of its topic with the same payload, for an event the
 * project really has; anything else (a job added through Redis or the queue board) is refused and
 * raises a red alert, and changes nothing. The row is then marked applied, which is what ends its
 * relaying: a row relayed but never applied (its job lost with Redis) is relayed again.
 * Every verb is idempotent by its keys, so applying again what a crash interrupted finishes it.
 */
export async function applyEffect(deps: EffectDeps, job: { id: string | undefined; name: string; data: unknown }): Promise<AppliedEffect> {
  const { contract } = readEffect(job.name, job.data);
  const row = job.id ? await findOutboxRow(deps.db, job.id) : undefined;
  const refusal = await whyNotCommitted(deps, row, job);
  if (refusal) {
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
  if (row!.applied_at) return { status: 'already-applied' };
  let result: unknown;
  try {
    // The row's own payload, not the job's: the database is the truth.
    result = await (HANDLERS[contract.name] as (deps: EffectDeps, payload: unknown) => Promise<unknown>)(deps, readEffect(row!.topic, row!.payload).payload);
  } catch (error) {
    if (!(error instanceof EffectRefused)) await noteOutboxError(deps.db, row!.id, (error as Error).message).catch(() => undefined);
    throw error;
  }
  await markOutboxApplied(deps.db, row!.id, deps.now());
  return { status: 'applied', result };
}

async function whyNotCommitted(deps: EffectDeps, row: OutboxRow | undefined, job: { name: string; data: unknown }): Promise<string | null> {
  if (!row) return 'no outbox row has this job id';
  if (row.topic !== job.name) return `the outbox row is a ${row.topic}, not a ${job.name}`;
  if (!isDeepStrictEqual(row.payload, job.data)) return 'the payload differs from the outbox row';
  const payload = row.payload as { projectId?: unknown; seq?: unknown };
  if (row.project_id !== payload.projectId || row.event_seq !== payload.seq) return 'the outbox row names another project event';
  if (row.project_id && row.event_seq !== null && !(await findProjectEvent(deps.db, row.project_id, row.event_seq))) return 'the project has no such event';
  return null;
}
