import { Router } from 'express';
import { z } from 'zod';
import { QUALIFICATION_IDS } from '../../../config/qualifications.ts';
import { creditCodeSchema } from '../../../machines/project.schemas.ts';
import { businessDateSchema } from '../../domain/business-date.ts';
import { isProvincialOrAbove, orderListingReserve } from '../../domain/listing-reserve.ts';
import { positiveFenSchema } from '../../domain/money.ts';
import { normalizeDocumentNumber, SUPPORT_LEVELS } from '../../domain/overlap.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { checkOverlap } from '../../engine/overlap-decision.ts';
import { addPriorSupport } from '../../usecases/beneficiaries/add-prior-support.ts';
import { getBeneficiary, type PriorSupportRow } from '../../usecases/beneficiaries/get-beneficiary.ts';
import { listBeneficiaries, type BeneficiaryRow } from '../../usecases/beneficiaries/list-beneficiaries.ts';
import { listBeneficiaryVersions } from '../../usecases/beneficiaries/list-beneficiary-versions.ts';
import { saveBeneficiary } from '../../usecases/beneficiaries/save-beneficiary.ts';
import { requireUser, type AuthenticatedUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

const documentNumbers = z.array(z.string().trim().min(1).max(100)).max(200).default([]);

export const beneficiarySchema = z.object({
  creditCode: creditCodeSchema,
  name: z.string().trim().min(1).max(200),
  qualifications: z.array(z.enum(QUALIFICATION_IDS)).max(QUALIFICATION_IDS.length).default([]),
  listingReserve: z.boolean().default(false),
  listingReserveSince: businessDateSchema.nullable().default(null),
});

export const priorSupportSchema = z.object({
  policy: z.string().trim().min(1).max(200),
  level: z.enum(SUPPORT_LEVELS),
  year: z.int().min(2000).max(2100),
  item: z.int().min(1).max(13).nullable().default(null),
  amountFen: positiveFenSchema,
  contractNumbers: documentNumbers,
  invoiceNumbers: documentNumbers,
});

export const overlapCheckSchema = z.object({
  beneficiaryCreditCode: creditCodeSchema.nullable().default(null),
  item: z.int().min(1).max(13),
  year: z.int().min(2000).max(2100),
  requestedFen: positiveFenSchema,
  contractNumbers: documentNumbers,
  invoiceNumbers: documentNumbers,
});

const WRITERS = new Set(['center', 'finance', 'admin']);
const READERS = new Set(['center', 'finance', 'admin', 'leadership', 'supervisor', 'inspector', 'evaluator', 'authority']);

function allow(user: AuthenticatedUser, roles: Set<string>) {
  if (!roles.has(user.role)) throw new AppError('forbidden', `this is for ${[...roles].join(', ')}, not ${user.role}`);
}

function beneficiaryView(row: BeneficiaryRow) {
  return {
    creditCode: row.credit_code,
    name: row.name,
    qualifications: row.qualifications,
    provincialOrAbove: isProvincialOrAbove(row.qualifications),
    listingReserve: row.listing_reserve,
    listingReserveSince: row.listing_reserve_since,
  };
}

function supportView(row: PriorSupportRow) {
  return {
    id: row.id,
    policy: row.policy,
    level: row.level,
    year: row.year,
    item: row.item,
    amountFen: row.amount_fen,
    contractNumbers: row.contract_numbers,
    invoiceNumbers: row.invoice_numbers,
  };
}

const jsonSafe = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? Number(item) : item)));

/** The beneficiary registry (统一社会信用代码), support already had, the listing reserve list, the overlap check. */
export function beneficiariesRouter(deps: EngineDeps): Router {
  const router = Router();

  router.post('/beneficiaries', async (req, res) => {
    const user = requireUser(req);
    allow(user, WRITERS);
    const input = parseOrThrow(beneficiarySchema, req.body);
    const row = await saveBeneficiary(deps, input, { by: user.userId, at: deps.now() });
    res.status(201).json({ ...beneficiaryView(row), version: row.version });
  });

  router.get('/beneficiaries', async (req, res) => {
    allow(requireUser(req), READERS);
    const query = parseOrThrow(
      z.object({
        listingReserve: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      req.query,
    );
    const rows = await listBeneficiaries(deps, {
      limit: query.limit,
      offset: query.offset,
      ...(query.listingReserve ? { listingReserve: query.listingReserve === 'true' } : {}),
    });
    res.json({ items: rows.map(beneficiaryView) });
  });

  router.get('/beneficiaries/listing-reserve', async (req, res) => {
    allow(requireUser(req), READERS);
    const rows = await listBeneficiaries(deps, { listingReserve: true, limit: 10_000, offset: 0 });
    const ordered = orderListingReserve(rows.map((row) => ({ ...row, since: row.listing_reserve_since, code: row.credit_code })));
    res.json({ items: ordered.map((row, index) => ({ rank: index + 1, ...beneficiaryView(row) })) });
  });

  router.get('/beneficiaries/:code', async (req, res) => {
    allow(requireUser(req), READERS);
    const code = parseOrThrow(creditCodeSchema, req.params.code, ['code']);
    const found = await getBeneficiary(deps, code);
    if (!found) throw new AppError('not-found', `no beneficiary with credit code ${code}`);
    res.json({ ...beneficiaryView(found.beneficiary), priorSupport: found.priorSupport.map(supportView) });
  });

  router.get('/beneficiaries/:code/history', async (req, res) => {
    allow(requireUser(req), READERS);
    const code = parseOrThrow(creditCodeSchema, req.params.code, ['code']);
    const versions = await listBeneficiaryVersions(deps, code);
    if (versions.length === 0) throw new AppError('not-found', `no beneficiary with credit code ${code}`);
    res.json({
      items: versions.map((row) => ({
        version: row.version,
        ...beneficiaryView(row),
        changedBy: row.changed_by,
        changedAt: new Date(row.changed_at).toISOString(),
      })),
    });
  });

  router.post('/beneficiaries/:code/prior-support', async (req, res) => {
    const user = requireUser(req);
    allow(user, WRITERS);
    const code = parseOrThrow(creditCodeSchema, req.params.code, ['code']);
    const input = parseOrThrow(priorSupportSchema, req.body);
    const row = await addPriorSupport(
      deps,
      {
        beneficiary_code: code,
        policy: input.policy,
        level: input.level,
        year: input.year,
        item: input.item,
        amount_fen: input.amountFen,
        contract_numbers: input.contractNumbers.map(normalizeDocumentNumber),
        invoice_numbers: input.invoiceNumbers.map(normalizeDocumentNumber),
      },
      user.userId,
    );
    if (!row) throw new AppError('not-found', `no beneficiary with credit code ${code}; add it first`);
    res.status(201).json(supportView(row));
  });

  router.post('/overlap-check', async (req, res) => {
    allow(requireUser(req), READERS);
    const input = parseOrThrow(overlapCheckSchema, req.body);
    const { overlaps, decision } = await checkOverlap(
      deps.db,
      {
        beneficiaryCode: input.beneficiaryCreditCode,
        item: input.item,
        year: input.year,
        requestedFen: input.requestedFen,
        contractNumbers: input.contractNumbers.map(normalizeDocumentNumber),
        invoiceNumbers: input.invoiceNumbers.map(normalizeDocumentNumber),
      },
      deps.rules,
    );
    res.json(jsonSafe({ overlaps, decision }));
  });

  return router;
}
