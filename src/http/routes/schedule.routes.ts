import { Router } from 'express';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { acknowledgeAlert } from '../../usecases/alerts/acknowledge-alert.ts';
import { listAlerts } from '../../usecases/alerts/list-alerts.ts';
import { getSchedule } from '../../usecases/projects/get-schedule.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

export function scheduleRouter(deps: EngineDeps): Router {
  const router = Router();

  router.get('/projects/:id/schedule', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    res.json(await getSchedule(deps, user, id));
  });

  router.get('/alerts', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(
      z.object({ open: z.enum(['true', 'false']).default('true'), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      req.query,
    );
    res.json({ items: await listAlerts(deps, user, { open: query.open === 'true', limit: query.limit }) });
  });

  router.post('/alerts/:id/acknowledge', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    res.json(await acknowledgeAlert(deps, user, id));
  });

  return router;
}
