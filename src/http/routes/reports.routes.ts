import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Role } from '../../../config/roles.ts';
import { READ_POLICIES } from '../../domain/authorization.ts';
import { businessDateSchema } from '../../domain/business-date.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { renderReportCsv } from '../../reports/csv.renderer.ts';
import { renderReportHtml } from '../../reports/html.renderer.ts';
import type { ReportDocument } from '../../reports/report-document.ts';
import { renderReportXlsx } from '../../reports/xlsx.renderer.ts';
import { getEvaluationReport } from '../../usecases/reports/get-evaluation-report.ts';
import { getFundExecutionReport } from '../../usecases/reports/get-fund-execution-report.ts';
import { listMonthlyReportHistory } from '../../usecases/reports/list-monthly-report-history.ts';
import { getSupervisionReport } from '../../usecases/reports/get-supervision-report.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

/** Who may read reports: the SME Center, the Finance Bureau, the supervisor, the leadership group, the authorities, admins. */
export const REPORT_READERS: ReadonlySet<Role> = new Set<Role>(READ_POLICIES.reports);

export const REPORT_FORMATS = ['json', 'html', 'xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
const formatSchema = z.enum(REPORT_FORMATS, { error: 'must be one of json, html, xlsx, csv' });

/** The longest supervision period one request may ask for (a little over ten years). */
const MAX_PERIOD_DAYS = 3700;

export const supervisionQuerySchema = z
  .object({
    from: businessDateSchema,
    to: businessDateSchema,
    format: formatSchema.default('json'),
  })
  .superRefine((query, ctx) => {
    if (query.from > query.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if ((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 > MAX_PERIOD_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the period must not be longer than ${MAX_PERIOD_DAYS} days` });
    }
  });

export const fundExecutionQuerySchema = z.object({
  fundId: z.uuid('must be a fund id (UUID)').optional(),
  format: formatSchema.default('json'),
});

/** `:file` of /reports/evaluation/:file: a project id, optionally with .html, .xlsx, .csv or .json. */
const EVALUATION_FILE = /^([^.]+)(?:\.(html|xlsx|csv|json))?$/;
const evaluationFileSchema = z
  .string()
  .superRefine((file, ctx) => {
    const match = EVALUATION_FILE.exec(file);
    if (!match || !z.uuid().safeParse(match[1]).success) {
      ctx.addIssue({ code: 'custom', message: 'must be a project id (UUID), optionally ending in .html, .xlsx, .csv or .json' });
    }
  })
  .transform((file) => {
    const match = EVALUATION_FILE.exec(file)!;
    return { projectId: match[1]!, extension: match[2] as ReportFormat | undefined };
  });

const evaluationQuerySchema = z.object({ format: formatSchema.optional() });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function sendReport(res: Response, format: ReportFormat, data: unknown, document: ReportDocument, now: Date): Promise<void> {
  res.set('Cache-Control', 'no-store');
  switch (format) {
    case 'json':
      res.json(data);
      return;
    case 'html':
      res.type('text/html; charset=utf-8').send(renderReportHtml(document));
      return;
    case 'csv':
      res
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${document.fileName}.csv"`)
        .send(renderReportCsv(document));
      return;
    case 'xlsx': {
      const buffer = await renderReportXlsx(document, now);
      res.type(XLSX_TYPE).set('Content-Disposition', `attachment; filename="${document.fileName}.xlsx"`).send(buffer);
      return;
    }
  }
}

/**
 * GET /reports/evaluation/:projectId[.html|.xlsx|.csv|.json]  the latest evaluation of a project
 * GET /reports/supervision?from=&to=&format=                  supervision in a period (business dates)
 * GET /reports/fund-execution?fundId=&format=                 execution by category and item
 * JSON by default. Mount under /api/v1 behind bearerAuth.
 */
export function reportsRouter(deps: EngineDeps): Router {
  const router = Router();

  router.get('/reports/evaluation/:file', async (req, res) => {
    const user = requireUser(req);
    const { projectId, extension } = parseOrThrow(evaluationFileSchema, req.params.file, ['projectId']);
    const query = parseOrThrow(evaluationQuerySchema, req.query);
    const format = extension ?? query.format ?? 'json';
    const { report, document, now } = await getEvaluationReport(deps, user, projectId);
    await sendReport(res, format, report, document, now);
  });

  router.get('/reports/supervision', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(supervisionQuerySchema, req.query);
    const { report, document, now } = await getSupervisionReport(deps, user, query);
    await sendReport(res, query.format, report, document, now);
  });

  router.get('/reports/monthly-history', async (req, res) => {
    res.json(await listMonthlyReportHistory(deps, requireUser(req)));
  });

  router.get('/reports/fund-execution', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(fundExecutionQuerySchema, req.query);
    const { report, document, now } = await getFundExecutionReport(deps, user, query.fundId ?? null);
    await sendReport(res, query.format, report, document, now);
  });

  return router;
}
