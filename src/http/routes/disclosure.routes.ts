import { Router } from 'express';
import { z } from 'zod';
import { toCsv } from '../../domain/csv.ts';
import { formatYuan } from '../../domain/money.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listDisclosedProjects } from '../../usecases/disclosure/list-disclosed-projects.ts';
import { parseOrThrow } from '../problem.ts';

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The public disclosure (公开透明): JSON and CSV, no login. */
export function disclosureRouter(deps: Pick<EngineDeps, 'db'>): Router {
  const router = Router();
  router.get('/public/projects', async (req, res) => {
    const query = parseOrThrow(querySchema, req.query);
    res.json({ items: await listDisclosedProjects(deps, query) });
  });
  router.get('/public/projects.csv', async (req, res) => {
    const query = parseOrThrow(querySchema, req.query);
    const rows = await listDisclosedProjects(deps, query);
    const csv = toCsv(
      ['项目编号', '项目名称', '支持类别', '支持事项', '项目单位', '状态', '批准金额（元）', '已拨付（元）', '绩效评价等级'],
      rows.map((row) => [row.code, row.title, row.category, `${row.item.id} ${row.item.nameZh}`, row.applicant, row.stateZh,
        formatYuan(row.approvedFen), formatYuan(row.disbursedFen), row.grade]),
    );
    res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="fundflow-disclosure.csv"').send(csv);
  });
  return router;
}
