import { Router } from 'express';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { pageDisclosedProjects } from '../../usecases/disclosure/page-disclosed-projects.ts';
import { PUBLIC_NOTICE_CSP, PUBLIC_NOTICE_PAGE_SIZE, PUBLIC_NOTICE_PATH, renderPublicNoticePage } from '../pages/public-notice.page.ts';
import { parseOrThrow } from '../problem.ts';
import { blanksDropped, disclosureFilterSchema } from './disclosure.routes.ts';

const pageQuerySchema = disclosureFilterSchema.extend({ page: z.coerce.number().int().min(1).max(100_000).default(1), lang: z.enum(['zh', 'en']).default('zh') });

/** The first year of the plan (阳政办发〔2024〕74号) up to this year in Beijing, newest first. */
function yearsUpTo(now: Date): number[] {
  const thisYear = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
  const years: number[] = [];
  for (let year = Math.max(thisYear, 2024); year >= 2024; year -= 1) years.push(year);
  return years;
}

/**
 * The public notice page (公示), no login: GET /gongshi, with /public (the address in DESIGN.md)
 * redirecting to it. It is built from the same use case as GET /api/v1/public/projects, so the
 * page can show nothing the API does not.
 */
export function publicPageRouter(deps: Pick<EngineDeps, 'db' | 'now'>, publicUrl: string): Router {
  const router = Router();
  router.get(PUBLIC_NOTICE_PATH, async (req, res) => {
    const query = parseOrThrow(pageQuerySchema, blanksDropped(req.query), ['query']);
    const { page, q, lang, ...filter } = query;
    const result = await pageDisclosedProjects(deps, {
      limit: PUBLIC_NOTICE_PAGE_SIZE,
      offset: (page - 1) * PUBLIC_NOTICE_PAGE_SIZE,
      ...filter,
      ...(q ? { search: q } : {}),
    });
    res
      .set('Content-Security-Policy', PUBLIC_NOTICE_CSP)
      .set('Cache-Control', 'public, max-age=60')
      .type('html')
      .send(renderPublicNoticePage({ ...result, filter: { ...filter, ...(q ? { q } : {}) }, lang, page, years: yearsUpTo(deps.now()), now: deps.now(), publicUrl }));
  });
  router.get('/public', (req, res) => {
    const at = req.originalUrl.indexOf('?');
    res.redirect(301, `${PUBLIC_NOTICE_PATH}${at >= 0 ? req.originalUrl.slice(at) : ''}`);
  });
  return router;
}
