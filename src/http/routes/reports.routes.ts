import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Role } from '../../../config/roles.ts';
import { businessDateSchema } from '../../domain/business-date.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { renderReportCsv } from '../../reports/csv.renderer.ts';
import { buildEvaluationReport, evaluationReportDocument } from '../../reports/evaluation-report.builder.ts';
import { loadEvaluationReportSource } from '../../reports/evaluation-report.loader.ts';
import { buildFundExecutionReport, fundExecutionReportDocument } from '../../reports/fund-execution-report.builder.ts';
import { loadFundExecutionSource } from '../../reports/fund-execution-report.loader.ts';
import { renderReportHtml } from '../../reports/html.renderer.ts';
import type { ReportDocument } from '../../reports/report-document.ts';
import { buildSupervisionReport, supervisionReportDocument } from '../../reports/supervision-report.builder.ts';
import { loadSupervisionReportSource } from '../../reports/supervision-report.loader.ts';
import { renderReportXlsx } from '../../reports/xlsx.renderer.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

/** Who may read reports: the SME Center, the Finance Bureau, the supervisor, the leadership group, the authorities, admins. */
export const REPORT_READERS: ReadonlySet<Role> = new Set<Role>(['center', 'finance', 'supervisor', 'leadership', 'authority', 'admin']);

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

function requireReader(role: Role): void {
  if (!REPORT_READERS.has(role)) {
    throw new AppError('forbidden', `reports are for ${[...REPORT_READERS].join(', ')}, not ${role}`);
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
    requireReader(requireUser(req).role);
    const { projectId, extension } = parseOrThrow(evaluationFileSchema, req.params.file, ['projectId']);
    const query = parseOrThrow(evaluationQuerySchema, req.query);
    const format = extension ?? query.format ?? 'json';
    const source = await loadEvaluationReportSource(deps.db, projectId);
    if (!source) throw new AppError('not-found', `project ${projectId} does not exist`);
    const now = deps.now();
    const report = buildEvaluationReport(source, now);
    if (!report) throw new AppError('not-found', `project ${source.project.code} has not been evaluated yet (尚无绩效评价)`);
    await sendReport(res, format, report, evaluationReportDocument(report), now);
  });

  router.get('/reports/supervision', async (req, res) => {
    requireReader(requireUser(req).role);
    const query = parseOrThrow(supervisionQuerySchema, req.query);
    const source = await loadSupervisionReportSource(deps.db, query.from, query.to);
    const now = deps.now();
    const report = buildSupervisionReport(source, now);
    await sendReport(res, query.format, report, supervisionReportDocument(report), now);
  });

  router.get('/reports/fund-execution', async (req, res) => {
    requireReader(requireUser(req).role);
    const query = parseOrThrow(fundExecutionQuerySchema, req.query);
    const source = await loadFundExecutionSource(deps.db, query.fundId ?? null);
    if (!source) throw new AppError('not-found', `fund ${query.fundId} does not exist`);
    const now = deps.now();
    const report = buildFundExecutionReport(source, now);
    await sendReport(res, query.format, report, fundExecutionReportDocument(report), now);
  });

  return router;
}
