import { Router } from 'express';
import { z } from 'zod';
import { CATEGORIES, findItem, ITEMS } from '../../../config/plan.ts';
import { businessDateSchema } from '../../domain/business-date.ts';
import { positiveFenSchema } from '../../domain/money.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findProject } from '../../store/projects.store.ts';
import {
  availableFen,
  createFund,
  findFund,
  listCategoryBalances,
  listFunds,
  listItemBalances,
  listLedgerEntries,
  writeProjectLedger,
  ledgerRefusalFor,
  type FundBalanceRow,
} from '../../store/ledger.store.ts';
import { PG_CHECK_VIOLATION, pgErrorCode } from '../../store/database.ts';
import { requireUser, type AuthenticatedUser } from '../auth.ts';
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

export const recoverySchema = z.object({ amountFen: positiveFenSchema, reason: z.string().trim().min(1).max(4000) });

const FUND_ADMINS = new Set(['admin', 'finance']);
const LEDGER_READERS = new Set(['admin', 'finance', 'center', 'supervisor', 'leadership', 'authority', 'inspector', 'evaluator']);

function requireRole(user: AuthenticatedUser, roles: Set<string>, what: string) {
  if (!roles.has(user.role)) throw new AppError('forbidden', `${what} is for ${[...roles].join(', ')}, not ${user.role}`);
}

export function fundView(fund: FundBalanceRow) {
  const available = availableFen(fund);
  return {
    id: fund.fund_id,
    sourceDocument: fund.source_document,
    name: fund.name,
    receivedOn: fund.received_on,
    status: available > 0 ? 'open' : 'exhausted',
    balances: {
      allocatedFen: fund.allocated_fen,
      committedFen: fund.committed_fen,
      disbursedFen: fund.disbursed_fen,
      releasedFen: fund.released_fen,
      recoveredFen: fund.recovered_fen,
      availableFen: available,
      outstandingCommitmentFen: fund.committed_fen - fund.disbursed_fen - fund.released_fen,
    },
  };
}

export function fundsRouter(deps: EngineDeps): Router {
  const router = Router();

  router.post('/funds', async (req, res) => {
    const user = requireUser(req);
    requireRole(user, FUND_ADMINS, 'recording a fund');
    const input = parseOrThrow(createFundSchema, req.body);
    const id = await createFund(deps.db, input, user.userId, deps.now().toISOString());
    res.status(201).location(`/api/v1/funds/${id}`).json(fundView((await findFund(deps.db, id))!));
  });

  router.get('/funds', async (req, res) => {
    requireRole(requireUser(req), LEDGER_READERS, 'the fund list');
    res.json({ items: (await listFunds(deps.db)).map(fundView) });
  });

  router.get('/funds/:id', async (req, res) => {
    requireRole(requireUser(req), LEDGER_READERS, 'a fund');
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const fund = await findFund(deps.db, id);
    if (!fund) throw new AppError('not-found', `fund ${id} does not exist`);
    const [categories, items] = await Promise.all([listCategoryBalances(deps.db, id), listItemBalances(deps.db, id)]);
    res.json({
      ...fundView(fund),
      categories: categories.map((row) => ({ ...CATEGORIES.find((c) => c.id === row.category)!, ...balanceOf(row) })),
      items: items.map((row) => ({ ...findItem(row.item)!, ...balanceOf(row) })),
    });
  });

  router.get('/ledger', async (req, res) => {
    requireRole(requireUser(req), LEDGER_READERS, 'the ledger');
    const query = parseOrThrow(ledgerQuerySchema, req.query);
    const rows = await listLedgerEntries(deps.db, {
      limit: query.limit,
      ...(query.fundId ? { fundId: query.fundId } : {}),
      ...(query.projectId ? { projectId: query.projectId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.item !== undefined ? { item: query.item } : {}),
      ...(query.after !== undefined ? { afterId: query.after } : {}),
    });
    res.json({
      items: rows.map((row) => ({
        id: row.id,
        fundId: row.fund_id,
        kind: row.kind,
        projectId: row.project_id,
        projectCode: row.project_code,
        item: row.item,
        amountFen: row.amount_fen,
        actorId: row.actor_id,
        event: row.event_type ? { type: row.event_type, seq: row.event_seq } : null,
        reason: row.reason,
        at: new Date(row.occurred_at).toISOString(),
      })),
      next: rows.length === query.limit ? rows.at(-1)!.id : null,
    });
  });

  router.post('/projects/:id/recoveries', async (req, res) => {
    const user = requireUser(req);
    requireRole(user, new Set(['finance']), 'recording a recovery');
    const projectId = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const input = parseOrThrow(recoverySchema, req.body);
    const project = await findProject(deps.db, projectId);
    const fundId = project?.fund_id;
    if (!project) throw new AppError('not-found', `project ${projectId} does not exist`);
    if (!fundId) throw new AppError('guard-refused', 'the project has no money earmarked, so nothing can be recovered', { reasons: ['nothing-paid'] });
    try {
      await writeProjectLedger(deps.db, {
        kind: 'recover',
        fundId,
        projectId,
        item: project.item,
        amountFen: input.amountFen,
        actorId: user.userId,
        eventType: null,
        eventSeq: null,
        reason: input.reason,
        occurredAt: deps.now().toISOString(),
      });
    } catch (error) {
      if (pgErrorCode(error) === PG_CHECK_VIOLATION) {
        const constraint = (error as { constraint?: string }).constraint ?? '';
        throw AppError.refused('guard-refused', [ledgerRefusalFor(constraint)], { reasons: [constraint] });
      }
      throw error;
    }
    res.status(201).json({ projectId, fundId, amountFen: input.amountFen });
  });

  return router;
}

function balanceOf(row: { ceiling_fen: number | null; committed_fen: number; disbursed_fen: number; released_fen: number; recovered_fen: number }) {
  return {
    ceilingFen: row.ceiling_fen,
    committedFen: row.committed_fen,
    disbursedFen: row.disbursed_fen,
    releasedFen: row.released_fen,
    recoveredFen: row.recovered_fen,
    netCommittedFen: row.committed_fen - row.released_fen,
  };
}

