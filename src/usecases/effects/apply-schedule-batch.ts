import { readJobPayload } from '../../jobs/job-contract.ts';
import { SCHEDULE_PLAN_JOB } from '../../jobs/schedule-plan.job.ts';
import { SCHEDULE_REPLAN_JOB } from '../../jobs/schedule-replan.job.ts';
import { claimOutboxRows, markOutboxRowsApplied, type OutboxRow } from '../../store/outbox.store.ts';
import { planDeadlinesIn, type DeadlineToPlan } from '../../store/schedule-planning.store.ts';
import type { ScheduleChange } from '../../store/schedules.store.ts';
import type { EffectDeps } from './effect-deps.ts';
import { deadlinesToPlan, deadlinesToReplan, reminderPlan } from './plan-deadlines.ts';

/**
 * The topics applied in batches. schedule.cancel is not among them: a cancel of a deadline that was
 * never planned leaves nothing behind, so it must never run before an older plan of the same
 * project; it keeps its own job, in outbox order. Plans and replans need no order among themselves:
 * for each deadline the newest event wins (source_seq), whichever is applied first.
 */
export const BATCHED_SCHEDULE_TOPICS: readonly string[] = [SCHEDULE_PLAN_JOB.name, SCHEDULE_REPLAN_JOB.name];

/** Outbox rows one job applies at most (in chunks of SCHEDULE_CHUNK); also the longest run the relay hands over as one job. */
export const DEFAULT_SCHEDULE_BATCH = 500;

export type ScheduleBatch = { status: 'applied'; result: ScheduleChange; batch: number } | { status: 'already-applied' };

/** The deadlines a committed plan or replan row asks for, or null when the row does not read as one (it is left to its own job, which refuses it). */
function deadlinesOf(deps: Pick<EffectDeps, 'rules' | 'unannouncedDate'>, row: OutboxRow, now: Date): DeadlineToPlan[] | null {
  const payload = row.payload as { projectId?: unknown; seq?: unknown };
  if (row.project_id !== payload.projectId || row.event_seq !== payload.seq) return null;
  if (row.topic === SCHEDULE_PLAN_JOB.name) {
    const read = readJobPayload(SCHEDULE_PLAN_JOB, row.payload);
    return read.ok ? deadlinesToPlan(deps, read.payload, now) : null;
  }
  if (row.topic === SCHEDULE_REPLAN_JOB.name) {
    const read = readJobPayload(SCHEDULE_REPLAN_JOB, row.payload);
    return read.ok ? deadlinesToReplan(deps, read.payload, now) : null;
  }
  return null;
}

/**
 * Rows per transaction inside a batch: with one or two deadlines per effect and some ten reminders
 * each, about 2,000 to 4,000 reminders per statement and per addBulk; the next chunk is planned while
 * the last one's reminders go to the queue. (On the shared 2-core machine, chunks of 200 did better
 * than 50 or 100: fewer commits; the runs were too noisy to say by how much.)
 */
export const SCHEDULE_CHUNK = 200;

/** One chunk in one transaction: take the rows, plan all their deadlines (one upsert, one reminders statement), commit. */
async function planChunk(deps: EffectDeps, ownIds: readonly number[], others: number, now: Date) {
  return deps.db.transaction(async (tx) => {
    const rows = await claimOutboxRows(tx, { ownIds, topics: BATCHED_SCHEDULE_TOPICS, limit: others });
    const applied: number[] = [];
    const deadlines: DeadlineToPlan[] = [];
    for (const row of rows) {
      const asked = deadlinesOf(deps, row, now);
      if (!asked) {
        if (ownIds.includes(row.id)) throw new Error(`outbox row ${row.id} (${row.topic}) does not read as a schedule effect`);
        continue;
      }
      applied.push(row.id);
      deadlines.push(...asked);
    }
    const othersTaken = rows.filter((row) => !ownIds.includes(row.id)).length;
    return { applied, othersTaken, change: await planDeadlinesIn(tx, deadlines, now, reminderPlan(deps)) };
  });
}

/**
 * Applies the schedule effects of the outbox rows `own` (already checked against their job: its own
 * row, or the rows a schedule.run job names) together with other committed schedule effects still
 * waiting (after an outage, a backlog of them), up to `scheduleBatchSize` rows, in chunks of
 * SCHEDULE_CHUNK. Each chunk is ONE transaction that takes its rows (own ones waiting for any
 * consumer that holds them; others skipped when held) and plans all their deadlines in one upsert
 * and one reminders statement; then ONE addBulk puts the chunk's reminders on the queue while the
 * next chunk is planned; then ONE statement marks the chunk's rows applied. A row is marked only
 * after its reminders are on the queue: a crash before leaves it unapplied, and applying it again
 * (its own job, or the relay's redelivery) plans nothing new and queues the same reminders (same job
 * ids) again. The other rows' own jobs then find them applied. If a chunk fails, the chunks before it
 * still finish (queued, marked) and the error is thrown after them.
 */
export async function applyScheduleBatch(deps: EffectDeps, own: readonly OutboxRow[]): Promise<ScheduleBatch> {
  const now = deps.now();
  let room = Math.max(own.length, deps.scheduleBatchSize ?? DEFAULT_SCHEDULE_BATCH);
  let ownLeft = own.map((row) => row.id);
  const change: ScheduleChange = { planned: [], cancelled: [] };
  let applied = 0;
  let queued: Promise<unknown> = Promise.resolve();
  const finishing: Promise<unknown>[] = [];
  let failure: unknown;
  try {
    while (room > 0) {
      const take = Math.min(SCHEDULE_CHUNK, room);
      const ownNow = ownLeft.slice(0, take);
      ownLeft = ownLeft.slice(ownNow.length);
      const others = ownLeft.length > 0 ? 0 : take - ownNow.length;
      const chunk = await planChunk(deps, ownNow, others, now);
      room -= ownNow.length + chunk.othersTaken;
      applied += chunk.applied.length;
      change.planned.push(...chunk.change.planned);
      change.cancelled.push(...chunk.change.cancelled);
      // At most one chunk on its way to the queue while the next is planned.
      const previous = queued;
      queued = previous.then(() => deps.timers.schedule(chunk.change, now)).then(() => markOutboxRowsApplied(deps.db, chunk.applied, deps.now()));
      finishing.push(queued);
      queued.catch(() => undefined); // handled below (allSettled); not an unhandled rejection meanwhile
      await previous;
      if (ownLeft.length === 0 && chunk.othersTaken < others) break;
    }
  } catch (error) {
    failure = error;
  }
  const settled = await Promise.allSettled(finishing);
  const rejected = settled.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw failure;
  if (rejected) throw rejected.reason;
  return applied === 0 ? { status: 'already-applied' } : { status: 'applied', result: change, batch: applied };
}
