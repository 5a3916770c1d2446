import { decisionReferenceSchema } from '../../../machines/project.schemas.ts';
import { Router } from 'express';
import { z } from 'zod';
import { TASK_KINDS } from '../../domain/vocabulary.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { decideTask } from '../../usecases/tasks/decide-task.ts';
import { delegateTask } from '../../usecases/tasks/delegate-task.ts';
import { countMyTasks } from '../../usecases/tasks/count-my-tasks.ts';
import { listMyTasks } from '../../usecases/tasks/list-my-tasks.ts';
import { requireUser } from '../auth.ts';
import { channelOf } from '../session-auth.ts';
import { parseOrThrow } from '../problem.ts';

export const taskListQuerySchema = z.object({
  status: z.enum(['open', 'overdue', 'done']).default('open'),
  kind: z.enum(TASK_KINDS).optional(),
  item: z.coerce.number().int().min(1).max(13).optional(),
  projectId: z.uuid().optional(),
  project: z.string().trim().min(1).max(100).optional().describe('part of a project code or title'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export const taskDecisionSchema = z.object({
  decision: z.enum(['approve', 'reject', 'return']),
  comment: z.string().trim().max(4000).optional(),
  /** Item 13's final approval: the 会议纪要 of 县政府 or 县创建领导组. */
  decisionReference: decisionReferenceSchema.optional(),
});
export const taskDelegationSchema = z.object({ userId: z.uuid(), reason: z.string().trim().max(1000).optional() });

/** My tasks, a decision on one, and handing one to a colleague of the same role. */
export function tasksRouter(deps: EngineDeps): Router {
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(taskListQuerySchema, req.query);
    res.json(await listMyTasks(deps, user, query));
  });

  router.get('/tasks/counts', async (req, res) => {
    res.json(await countMyTasks(deps, requireUser(req)));
  });

  router.post('/tasks/:id/decision', async (req, res) => {
    const user = requireUser(req);
    const taskId = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const input = parseOrThrow(taskDecisionSchema, req.body);
    const answer = await decideTask(deps, user, { taskId, ...input }, channelOf(req));
    res.status(answer.status).json(answer.body);
  });

  router.post('/tasks/:id/delegate', async (req, res) => {
    const user = requireUser(req);
    const taskId = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const input = parseOrThrow(taskDelegationSchema, req.body);
    res.json(await delegateTask(deps, user, { taskId, ...input }, channelOf(req)));
  });

  return router;
}
