import { Router } from 'express';
import { z } from 'zod';
import { ITEMS } from '../../../config/plan.ts';
import { toCsv } from '../../domain/csv.ts';
import { formatYuan } from '../../domain/money.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listDisclosedProjects } from '../../usecases/disclosure/list-disclosed-projects.ts';
import { parseOrThrow } from '../problem.ts';

/** The filters the public may use, shared by the JSON, the CSV and the 公示 page (its GET form). */
export const disclosureFilterSchema = z.object({
  item: z.coerce.number().int().min(1).max(ITEMS.length).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  q: z.string().trim().max(100).optional(),
});

/** An empty form field (`?item=&year=`) means "any", as a plain HTML form sends it. */
export function blanksDropped(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}

export const disclosureQuerySchema = disclosureFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The CSV the JSON and the 公示 page offer; amounts in 元 with separators, states as the public reads them. */
export function disclosureCsv(rows: Awaited<ReturnType<typeof listDisclosedProjects>>): string {
  return toCsv(
    ['项目编号', '项目名称', '支持类别', '支持事项', '项目单位', '状态', '批准金额（元）', '已拨付（元）', '绩效评价等级'],
    rows.map((row) => [row.code, row.title, row.category, `${row.item.id} ${row.item.nameZh}`, row.applicant, row.stateZh,
      formatYuan(row.approvedFen), formatYuan(row.disbursedFen), row.grade]),
  );
}

/** The public disclosure (公开透明): JSON and CSV, no login. */
export function disclosureRouter(deps: Pick<EngineDeps, 'db'>): Router {
  const router = Router();
  router.get('/public/projects', async (req, res) => {
    const query = parseOrThrow(disclosureQuerySchema, blanksDropped(req.query), ['query']);
    const { q, ...rest } = query;
    res.json({ items: await listDisclosedProjects(deps, { ...rest, ...(q ? { search: q } : {}) }) });
  });
  router.get('/public/projects.csv', async (req, res) => {
    // The CSV is the whole selection unless a limit is asked for (the page's “下载 CSV” asks none).
    const query = parseOrThrow(disclosureQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(100_000).default(100_000) }), blanksDropped(req.query), ['query']);
    const { q, ...rest } = query;
    const rows = await listDisclosedProjects(deps, { ...rest, ...(q ? { search: q } : {}) });
    res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="fundflow-disclosure.csv"').send(disclosureCsv(rows));
  });
  return router;
}
