import { Router, type Request } from 'express';
import { z } from 'zod';
import { CATEGORIES, ITEMS } from '../../../config/plan.ts';
import { businessDateSchema } from '../../domain/business-date.ts';
import { positiveFenSchema } from '../../domain/money.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { createFund } from '../../usecases/funds/create-fund.ts';
import { getFund } from '../../usecases/funds/get-fund.ts';
import { listFunds } from '../../usecases/funds/list-funds.ts';
import { listLedger } from '../../usecases/funds/list-ledger.ts';
import { exportLedger } from '../../usecases/funds/export-ledger.ts';
import { renderReportCsv } from '../../reports/csv.renderer.ts';
import { renderReportXlsx } from '../../reports/xlsx.renderer.ts';
import { recordRecovery } from '../../usecases/funds/record-recovery.ts';
import { requireUser } from '../auth.ts';
import { channelOf } from '../session-auth.ts';
import { parseOrThrow } from '../problem.ts';

const ceilingsSchema = (keys: number[]) =>
  z
    .record(z.string(), positiveFenSchema)
    .default({})
    .superRefine((ceilings, ctx) => {
      for (const key of Object.keys(ceilings)) {
        if (!keys.map(String).includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: `unknown key ${key}; use ${keys[0]}-${keys.at(-1)}` });
      }
    });

export const createFundSchema = z.object({
  sourceDocument: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  amountFen: positiveFenSchema,
  receivedOn: businessDateSchema,
  categoryCeilingsFen: ceilingsSchema(CATEGORIES.map((category) => category.id)),
  itemCeilingsFen: ceilingsSchema(ITEMS.map((item) => item.id)),
});

export const ledgerQuerySchema = z.object({
  fundId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  kind: z.enum(['allocate', 'commit', 'disburse', 'release', 'recover']).optional(),
  item: z.coerce.number().int().min(1).max(13).optional(),
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The ledger page's export: its filters, without paging. */
export const ledgerExportQuerySchema = ledgerQuerySchema.omit({ after: true, limit: true }).extend({
  format: z.enum(['csv', 'xlsx'], { error: 'must be csv or xlsx' }),
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const recoverySchema = z.object({ amountFen: positiveFenSchema, reason: z.string().trim().min(1).max(4000) });

const idempotencyKeySchema = z.string().min(1).max(200);

function idempotencyKeyOf(req: Request): string | undefined {
  const header = req.get('idempotency-key');
  return header === undefined ? undefined : parseOrThrow(idempotencyKeySchema, header, ['Idempotency-Key']);
}

export function fundsRouter(deps: EngineDeps): Router {
  const router = Router();

  router.post('/funds', async (req, res) => {
    const user = requireUser(req);
    const fund = await createFund(deps, user, () => parseOrThrow(createFundSchema, req.body));
    res.status(201).location(`/api/v1/funds/${fund.id}`).json(fund);
  });

  router.get('/funds', async (req, res) => {
    res.json({ items: await listFunds(deps, requireUser(req)) });
  });

  router.get('/funds/:id', async (req, res) => {
    const user = requireUser(req);
    res.json(await getFund(deps, user, parseOrThrow(z.uuid(), req.params.id, ['id'])));
  });

  router.get('/ledger', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(ledgerQuerySchema, req.query);
    res.json(
      await listLedger(deps, user, {
        limit: query.limit,
        ...(query.fundId ? { fundId: query.fundId } : {}),
        ...(query.projectId ? { projectId: query.projectId } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.item !== undefined ? { item: query.item } : {}),
        ...(query.after !== undefined ? { afterId: query.after } : {}),
      }),
    );
  });

  router.get('/ledger/export', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(ledgerExportQuerySchema, req.query);
    const { document, now } = await exportLedger(deps, user, {
      ...(query.fundId ? { fundId: query.fundId } : {}),
      ...(query.projectId ? { projectId: query.projectId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.item !== undefined ? { item: query.item } : {}),
    });
    res.set('Cache-Control', 'no-store');
    if (query.format === 'csv') {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${document.fileName}.csv"`).send(renderReportCsv(document));
      return;
    }
    res.type(XLSX_TYPE).set('Content-Disposition', `attachment; filename="${document.fileName}.xlsx"`).send(await renderReportXlsx(document, now));
  });

  router.post('/projects/:id/recoveries', async (req, res) => {
    const user = requireUser(req);
    const projectId = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const answer = await recordRecovery(deps, user, { projectId, idempotencyKey: idempotencyKeyOf(req), readBody: () => parseOrThrow(recoverySchema, req.body) }, channelOf(req));
    res.status(answer.status).json(answer.body);
  });

  return router;
}
