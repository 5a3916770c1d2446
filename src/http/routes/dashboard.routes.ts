import { Router } from 'express';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { getDisbursementPace } from '../../usecases/dashboard/get-disbursement-pace.ts';
import { getFundBalancesPanel } from '../../usecases/dashboard/get-fund-balances-panel.ts';
import { getLightsPanel } from '../../usecases/dashboard/get-lights-panel.ts';
import { getMonthActivity } from '../../usecases/dashboard/get-month-activity.ts';
import { getOverduePanel } from '../../usecases/dashboard/get-overdue-panel.ts';
import { getProjectFunnel } from '../../usecases/dashboard/get-project-funnel.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

export const dashboardFundQuerySchema = z.object({ fundId: z.uuid('must be a fund id (UUID)').optional() });
export const dashboardListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

/**
 * The county dashboard (总览), one request per panel; every aggregate is SQL over the ledger's
 * balance rows, projects, deadlines, tasks and the daily check's alerts. Readers: READ_POLICIES.money.
 */
export function dashboardRouter(deps: EngineDeps): Router {
  const router = Router();
  router.get('/dashboard/balances', async (req, res) => {
    const query = parseOrThrow(dashboardFundQuerySchema, req.query);
    res.json(await getFundBalancesPanel(deps, requireUser(req), query.fundId ?? null));
  });
  router.get('/dashboard/funnel', async (req, res) => {
    res.json(await getProjectFunnel(deps, requireUser(req)));
  });
  router.get('/dashboard/overdue', async (req, res) => {
    const query = parseOrThrow(dashboardListQuerySchema, req.query);
    res.json(await getOverduePanel(deps, requireUser(req), query.limit));
  });
  router.get('/dashboard/lights', async (req, res) => {
    const query = parseOrThrow(dashboardListQuerySchema, req.query);
    res.json(await getLightsPanel(deps, requireUser(req), query.limit));
  });
  router.get('/dashboard/disbursement', async (req, res) => {
    const query = parseOrThrow(dashboardFundQuerySchema, req.query);
    res.json(await getDisbursementPace(deps, requireUser(req), query.fundId ?? null));
  });
  router.get('/dashboard/month', async (req, res) => {
    res.json(await getMonthActivity(deps, requireUser(req)));
  });
  return router;
}
