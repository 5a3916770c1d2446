import { Router } from 'express';
import { z } from 'zod';
import { businessDateOf } from '../../domain/business-date.ts';
import { AppError } from '../../engine/app-error.ts';
import { applyEvent } from '../../engine/apply-event.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { recordProjectEvent } from '../../engine/record-event.ts';
import { eventForDecision, isCandidate } from '../../engine/task-decisions.ts';
import { assignTask, findTask, listTasksFor } from '../../store/tasks.store.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

export const taskListQuerySchema = z.object({
  status: z.enum(['open', 'overdue', 'done']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const taskDecisionSchema = z.object({ decision: z.enum(['approve', 'reject', 'return']), comment: z.string().trim().max(4000).optional() });
export const taskDelegationSchema = z.object({ userId: z.uuid(), reason: z.string().trim().max(1000).optional() });

/** My tasks, a decision on one, and handing one to a colleague of the same role. */
export function tasksRouter(deps: EngineDeps): Router {
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(taskListQuerySchema, req.query);
    const rows = await listTasksFor(deps.db, user, { status: query.status, today: businessDateOf(deps.now()), limit: query.limit });
    res.json({
      items: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        projectId: row.project_id,
        projectCode: row.project_code,
        projectTitle: row.project_title,
        role: row.role,
        assigneeId: row.assignee_id,
        status: row.status,
        dueDate: row.due_date,
        overdue: row.status === 'open' && row.due_date < businessDateOf(deps.now()),
        completedBy: row.completed_by,
        completedEvent: row.completed_event,
      })),
    });
  });

  router.post('/tasks/:id/decision', async (req, res) => {
    const user = requireUser(req);
    const task = await findTask(deps.db, parseOrThrow(z.uuid(), req.params.id, ['id']));
    const input = parseOrThrow(taskDecisionSchema, req.body);
    if (!task || !isCandidate(task, user)) throw new AppError('not-found', 'no such task for you');
    if (task.status !== 'open') throw new AppError('event-not-allowed', `the task is ${task.status}`, { state: task.status, allowedEvents: [] });
    const event = eventForDecision(task, input.decision, input.comment);
    const answer = await applyEvent(deps, { projectId: task.project_id, actor: user, channel: 'api', type: event.type, payload: event.payload });
    res.status(answer.status).json(answer.body);
  });

  router.post('/tasks/:id/delegate', async (req, res) => {
    const user = requireUser(req);
    const task = await findTask(deps.db, parseOrThrow(z.uuid(), req.params.id, ['id']));
    const input = parseOrThrow(taskDelegationSchema, req.body);
    if (!task || !isCandidate(task, user)) throw new AppError('not-found', 'no such task for you');
    if (task.status !== 'open') throw new AppError('event-not-allowed', `the task is ${task.status}`, { state: task.status, allowedEvents: [] });
    const target = (await deps.db.query<{ id: string; role: string; org_id: string | null; active: boolean }>('SELECT id, role, org_id, active FROM users WHERE id = $1', [input.userId]))[0];
    if (!target?.active) throw AppError.badInput([{ field: 'userId', message: 'no active user with this id' }]);
    if (target.role !== task.role || (task.org_id !== null && target.org_id !== task.org_id)) {
      throw AppError.badInput([{ field: 'userId', message: `a task for ${task.role} may be handed only to another ${task.role}` }]);
    }
    if (!(await assignTask(deps.db, task.id, target.id))) throw new AppError('version-conflict', 'the task closed meanwhile');
    await deps.db.query(`UPDATE task_links SET revoked_at = $2, revoked_reason = 'the task was delegated' WHERE task_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [
      task.id,
      deps.now().toISOString(),
    ]);
    const seq = await recordProjectEvent(deps, {
      projectId: task.project_id,
      actor: user,
      channel: 'api',
      eventType: 'DELEGATE_TASK',
      payload: { taskId: task.id, kind: task.kind, from: user.userId, to: target.id },
      reason: input.reason ?? null,
      outbox: (seq) => [{ topic: 'task.delegated', payload: { projectId: task.project_id, seq, eventType: 'DELEGATE_TASK', actorId: user.userId, taskId: task.id }, dedupe_key: `${task.project_id}.${seq}.0` }],
    });
    res.json({ id: task.id, assigneeId: target.id, auditSeq: seq });
  });

  return router;
}
