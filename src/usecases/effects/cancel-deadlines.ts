import type { JobPayload } from '../../jobs/job-contract.ts';
import type { SCHEDULE_CANCEL_JOB } from '../../jobs/schedule-cancel.job.ts';
import { cancelDeadlines as cancelStoredDeadlines, type ScheduleChange } from '../../store/schedules.store.ts';
import type { EffectDeps } from './effect-deps.ts';

/** Cancels deadlines the project no longer has, and their reminders' timers. */
export async function cancelDeadlines(deps: Pick<EffectDeps, 'db' | 'timers' | 'now'>, payload: JobPayload<typeof SCHEDULE_CANCEL_JOB>): Promise<ScheduleChange> {
  const now = deps.now();
  const change = await cancelStoredDeadlines(deps.db, { projectId: payload.projectId, seq: payload.seq, deadlines: payload.deadlines, reason: 'the project moved on', now });
  await deps.timers.schedule(change, now);
  return change;
}
