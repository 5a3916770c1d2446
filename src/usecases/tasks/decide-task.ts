import type { Actor } from '../../../machines/project.types.ts';
import { AppError } from '../../engine/app-error.ts';
import { applyEvent, type CommandAnswer } from '../../engine/apply-event.ts';
import type { Channel, EngineDeps } from '../../engine/engine-deps.ts';
import { eventForDecision, isCandidate, type Decision } from '../../engine/task-decisions.ts';
import { findTask } from '../../store/tasks.store.ts';

/** A decision on one of my tasks through the API: the same events the email link sends. */
export async function decideTask(deps: EngineDeps, actor: Actor, input: { taskId: string; decision: Decision; comment?: string | undefined; decisionReference?: Record<string, unknown> | undefined }, channel: Channel = 'api'): Promise<CommandAnswer> {
  const task = await findTask(deps.db, input.taskId);
  if (!task || !isCandidate(task, actor)) throw new AppError('not-found', 'no such task for you');
  if (task.status !== 'open') throw new AppError('event-not-allowed', `the task is ${task.status}`, { state: task.status, allowedEvents: [] });
  const event = eventForDecision(task, input.decision, input.comment, input.decisionReference);
  return applyEvent(deps, { projectId: task.project_id, actor, channel, type: event.type, payload: event.payload });
}
