import type { Actor } from '../../../machines/project.types.ts';
import { AppError } from '../../engine/app-error.ts';
import type { Channel, EngineDeps } from '../../engine/engine-deps.ts';
import { recordProjectEvent } from '../../engine/record-event.ts';
import { isCandidate } from '../../engine/task-decisions.ts';
import { findDelegateCandidate } from '../../store/directory.store.ts';
import { revokeTaskLinks } from '../../store/task-links.store.ts';
import { assignTask, findTask } from '../../store/tasks.store.ts';

/**
 * Hands an open task to another eligible colleague (same role, same organisation when the task has
 * one). Self-delegation is refused: it would silently revoke the colleagues' links and leave the task
 * with one holder; to act yourself, decide the task. One transaction: the assignment, the revocation
 * of every unused link of the task and the audited DELEGATE_TASK event (whose outbox row mails the
 * new holder) commit together. Locks, in order: tasks row, its task_links rows, projects row.
 */
export async function delegateTask(deps: EngineDeps, actor: Actor, input: { taskId: string; userId: string; reason?: string | undefined }, channel: Channel = 'api') {
  const task = await findTask(deps.db, input.taskId);
  if (!task || !isCandidate(task, actor)) throw new AppError('not-found', 'no such task for you');
  if (task.status !== 'open') throw new AppError('event-not-allowed', `the task is ${task.status}`, { state: task.status, allowedEvents: [] });
  if (input.userId === actor.userId) {
    throw AppError.badInput([{ field: 'userId', message: 'a task cannot be delegated to yourself; decide it instead (不能转交给本人，请直接办理)' }]);
  }
  const target = await findDelegateCandidate(deps.db, input.userId);
  if (!target?.active) throw AppError.badInput([{ field: 'userId', message: 'no active user with this id' }]);
  if (target.role !== task.role || (task.org_id !== null && target.org_id !== task.org_id)) {
    throw AppError.badInput([{ field: 'userId', message: `a task for ${task.role} may be handed only to another ${task.role}` }]);
  }
  const now = deps.now();
  const seq = await deps.db.transaction(async (tx) => {
    if (!(await assignTask(tx, task.id, target.id))) throw new AppError('version-conflict', 'the task closed meanwhile');
    await revokeTaskLinks(tx, { taskId: task.id, reason: 'the task was delegated', now });
    return recordProjectEvent({ ...deps, db: tx }, {
      projectId: task.project_id,
      actor,
      channel,
      eventType: 'DELEGATE_TASK',
      payload: { taskId: task.id, kind: task.kind, from: actor.userId, to: target.id },
      reason: input.reason ?? null,
      outbox: (seq) => [{ topic: 'task.delegated', payload: { projectId: task.project_id, seq, eventType: 'DELEGATE_TASK', actorId: actor.userId, taskId: task.id }, dedupe_key: `${task.project_id}.${seq}.0` }],
    });
  });
  return { id: task.id, assigneeId: target.id, auditSeq: seq };
}
