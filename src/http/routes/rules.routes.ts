import { Router } from 'express';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { getRulesInForce } from '../../usecases/rules/get-rules-in-force.ts';
import { requireUser } from '../auth.ts';

/**
 * GET /api/v1/rules: the rules in force, read-only, for staff. Applicants are refused: the
 * reminder policies include the unannounced inspections, which applicants never see.
 */
export function rulesRouter(deps: Pick<EngineDeps, 'rules' | 'requiredMaterials'>): Router {
  const router = Router();
  router.get('/rules', (req, res) => {
    const user = requireUser(req);
    if (user.role === 'applicant') throw new AppError('forbidden', 'the rules view is for staff');
    res.json(getRulesInForce({ rules: deps.rules, ...(deps.requiredMaterials ? { requiredMaterials: deps.requiredMaterials } : {}) }));
  });
  return router;
}
