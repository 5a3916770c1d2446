import { Router, type Request } from 'express';
import { z } from 'zod';
import { createProjectSchema, eventPayloadSchemas, eventTypeSchema } from '../../../machines/project.schemas.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { applyEvent } from '../../usecases/projects/apply-event.ts';
import { createProject } from '../../usecases/projects/create-project.ts';
import { getHistory } from '../../usecases/projects/get-history.ts';
import { getProject, getProjectByCode } from '../../usecases/projects/get-project.ts';
import { listProjectTasks } from '../../usecases/tasks/list-project-tasks.ts';
import { listProjectOrganisations } from '../../usecases/projects/list-project-organisations.ts';
import { listProjects } from '../../usecases/projects/list-projects.ts';
import { requireUser } from '../auth.ts';
import { channelOf } from '../session-auth.ts';
import type { Metrics } from '../metrics.ts';
import { parseOrThrow, statusOf } from '../problem.ts';

export const projectListQuerySchema = z.object({
  state: z
    .string()
    .regex(/^[a-z-]+(\.[a-z-]+)?$/, 'a state such as executing or proposed.review')
    .optional(),
  item: z.coerce.number().int().min(1).max(13).optional(),
  orgId: z.uuid().optional(),
  overdue: z
    .enum(['true', 'false'], 'true or false')
    .transform((value) => value === 'true')
    .optional()
    .describe('true: with an open task or a deadline past due; false: with none'),
  light: z.enum(['green', 'yellow', 'red']).optional().describe('双监控 light of executing projects, as the last daily check found it'),
  q: z.string().trim().min(1).max(100).optional().describe('part of the project code or title'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** YC-2026-05-001: county letters, year, two-digit item, sequence. */
export const projectCodeSchema = z.string().regex(/^[A-Z]{1,10}-\d{4}-\d{2}-\d{3,6}$/, 'must be a project code such as YC-2026-05-001');
const projectIdSchema = z.uuid('must be a project id (UUID)');
const idempotencyKeySchema = z.string().min(1).max(200);
const ifMatchSchema = z.string().regex(/^(W\/)?"?\d+"?$/, 'must be the project version, e.g. "7"');

function idempotencyKeyOf(req: Request): string | undefined {
  const header = req.get('idempotency-key');
  return header === undefined ? undefined : parseOrThrow(idempotencyKeySchema, header, ['Idempotency-Key']);
}

function expectedVersionOf(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  return Number(parseOrThrow(ifMatchSchema, header, ['If-Match']).replace(/\D/g, ''));
}

function requireJson(req: Request): void {
  if (!req.is('application/json')) {
    throw Object.assign(new Error('unsupported media type'), { type: 'encoding.unsupported' });
  }
}

export function projectsRouter(deps: EngineDeps, metrics: Metrics): Router {
  const router = Router();

  router.post('/projects', async (req, res) => {
    requireJson(req);
    const actor = requireUser(req);
    const input = parseOrThrow(createProjectSchema, req.body);
    const answer = await createProject(deps, actor, input, channelOf(req), idempotencyKeyOf(req));
    res.status(answer.status).location(`/api/v1/projects/${answer.body.id}`).set('ETag', `"${answer.body.version}"`).json(answer.body);
  });

  router.get('/projects', async (req, res) => {
    const actor = requireUser(req);
    res.json(await listProjects(deps, actor, parseOrThrow(projectListQuerySchema, req.query)));
  });

  router.get('/organisations', async (req, res) => {
    res.json(await listProjectOrganisations(deps, requireUser(req)));
  });

  // Before /projects/:id/...: "by-code" is not an id.
  router.get('/projects/by-code/:code', async (req, res) => {
    const view = await getProjectByCode(deps, requireUser(req), parseOrThrow(projectCodeSchema, req.params.code, ['code']));
    res.set('ETag', `"${view.version}"`).json(view);
  });

  router.get('/projects/:id/tasks', async (req, res) => {
    res.json(await listProjectTasks(deps, requireUser(req), parseOrThrow(projectIdSchema, req.params.id, ['id'])));
  });

  router.get('/projects/:id', async (req, res) => {
    const view = await getProject(deps, requireUser(req), parseOrThrow(projectIdSchema, req.params.id, ['id']));
    res.set('ETag', `"${view.version}"`).json(view);
  });

  router.get('/projects/:id/history', async (req, res) => {
    res.json(await getHistory(deps, requireUser(req), parseOrThrow(projectIdSchema, req.params.id, ['id'])));
  });

  router.post('/projects/:id/events', async (req, res) => {
    requireJson(req);
    const actor = requireUser(req);
    const projectId = parseOrThrow(projectIdSchema, req.params.id, ['id']);
    const { type } = parseOrThrow(eventTypeSchema, req.body);
    const { type: _type, ...rest } = req.body as Record<string, unknown>;
    const payload = parseOrThrow(eventPayloadSchemas[type], rest) as Record<string, unknown>;
    const started = process.hrtime.bigint();
    let outcome = 'applied';
    try {
      const expectedVersion = expectedVersionOf(req);
      const idempotencyKey = idempotencyKeyOf(req);
      const answer = await applyEvent(deps, {
        projectId,
        actor,
        channel: channelOf(req),
        type,
        payload,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      if (answer.replayed) outcome = 'replayed';
      res.status(answer.status).set('ETag', `"${answer.body.version}"`).json(answer.body);
    } catch (error) {
      outcome = error instanceof AppError ? String(statusOf(error.code)) : 'error';
      throw error;
    } finally {
      metrics.commands.inc({ type, outcome });
      metrics.commandSeconds.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  });

  return router;
}
