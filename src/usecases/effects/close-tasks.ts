import type { JobPayload } from '../../jobs/job-contract.ts';
import type { TASK_CLOSE_JOB } from '../../jobs/task-close.job.ts';
import { cancelDeadlines } from '../../store/schedules.store.ts';
import { closeTasks as closeStoredTasks, kindsOfTasks } from '../../store/tasks.store.ts';
import type { EffectDeps } from './effect-deps.ts';

/** Closes the project's open tasks opened before the event (revoking their links) and cancels their deadlines. */
export async function closeTasks(deps: Pick<EffectDeps, 'db' | 'timers' | 'now'>, payload: JobPayload<typeof TASK_CLOSE_JOB>): Promise<number> {
  const now = deps.now();
  const closed = await closeStoredTasks(deps.db, { projectId: payload.projectId, seq: payload.seq, completedBy: payload.actorId, completedEvent: payload.eventType, now });
  const kinds = await kindsOfTasks(deps.db, closed);
  if (kinds.length > 0) {
    const change = await cancelDeadlines(deps.db, { projectId: payload.projectId, seq: payload.seq, deadlines: kinds.map((kind) => `task.${kind}`), reason: 'the task was closed', now });
    await deps.timers.schedule(change, now);
  }
  return closed.length;
}
