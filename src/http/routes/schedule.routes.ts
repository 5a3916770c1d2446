import { Router } from 'express';
import { z } from 'zod';
import { ALERT_SEVERITIES, alertKindFilterSchema } from '../../domain/alert-kinds.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { acknowledgeAlert } from '../../usecases/alerts/acknowledge-alert.ts';
import { listAlerts } from '../../usecases/alerts/list-alerts.ts';
import { getSchedule } from '../../usecases/projects/get-schedule.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

/**
 * GET /alerts: `open` (default true: open only; false: all) is kept for older clients;
 * `acknowledged` (true / false), when given, wins over it.
 */
export const alertListQuerySchema = z.object({
  open: z.enum(['true', 'false']).default('true'),
  acknowledged: z.enum(['true', 'false']).optional(),
  kind: alertKindFilterSchema.optional(),
  severity: z.enum(ALERT_SEVERITIES, { error: 'must be one of info, yellow, red' }).optional(),
  item: z.coerce.number().int().min(1).max(13).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  beforeId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).refine((query) => (query.before === undefined) === (query.beforeId === undefined), { path: ['beforeId'], message: 'give before and beforeId together' });

export const acknowledgeAlertSchema = z.object({ note: z.string().trim().max(2000).optional() });

export function scheduleRouter(deps: EngineDeps): Router {
  const router = Router();

  router.get('/projects/:id/schedule', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    res.json(await getSchedule(deps, user, id));
  });

  router.get('/alerts', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(alertListQuerySchema, req.query);
    const open = query.acknowledged === undefined ? query.open === 'true' || null : query.acknowledged === 'false';
    res.json(
      await listAlerts(deps, user, {
        open,
        limit: query.limit,
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.severity ? { severity: query.severity } : {}),
        ...(query.item !== undefined ? { item: query.item } : {}),
        ...(query.before && query.beforeId ? { before: { at: query.before, id: query.beforeId } } : {}),
      }),
    );
  });

  router.post('/alerts/:id/acknowledge', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const body = parseOrThrow(acknowledgeAlertSchema, req.body ?? {});
    res.json(await acknowledgeAlert(deps, user, id, body.note ?? null));
  });

  return router;
}
