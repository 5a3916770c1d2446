import { Router, type Request } from 'express';
import { z } from 'zod';
import { createProjectSchema, eventPayloadSchemas, eventTypeSchema } from '../../../machines/project.schemas.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { applyEvent } from '../../usecases/projects/apply-event.ts';
import { createProject } from '../../usecases/projects/create-project.ts';
import { getHistory } from '../../usecases/projects/get-history.ts';
import { getProject } from '../../usecases/projects/get-project.ts';
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
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

const cursorSchema = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });
const projectIdSchema = z.uuid('must be a project id (UUID)');
const idempotencyKeySchema = z.string().min(1).max(200);
const ifMatchSchema = z.string().regex(/^(W\/)?"?\d+"?$/, 'must be the project version, e.g. "7"');

function decodeCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  try {
    return parseOrThrow(cursorSchema, JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')), ['cursor']);
  } catch {
    throw AppError.badInput([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
  }
}

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
    const query = parseOrThrow(projectListQuerySchema, req.query);
    const cursor = decodeCursor(query.cursor);
    const page = await listProjects(deps, actor, {
      limit: query.limit,
      ...(query.state ? { state: query.state } : {}),
      ...(query.item !== undefined ? { item: query.item } : {}),
      ...(query.orgId ? { orgId: query.orgId } : {}),
      ...(cursor ? { cursor } : {}),
    });
    res.json(page);
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
