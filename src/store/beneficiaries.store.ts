import { randomUUID } from 'node:crypto';
import type { QualificationId } from '../../config/qualifications.ts';
import type { Database } from './database.ts';

export interface BeneficiaryRow {
  credit_code: string;
  name: string;
  qualifications: QualificationId[];
  listing_reserve: boolean;
  listing_reserve_since: string | null;
}

export interface PriorSupportRow {
  id: string;
  beneficiary_code: string;
  policy: string;
  level: string;
  year: number;
  item: number | null;
  amount_fen: number;
  contract_numbers: string[];
  invoice_numbers: string[];
}

const BENEFICIARY_COLUMNS = `credit_code, name, qualifications, listing_reserve, to_char(listing_reserve_since, 'YYYY-MM-DD') AS listing_reserve_since`;

export interface BeneficiaryVersionRow extends BeneficiaryRow {
  version: number;
  changed_by: string | null;
  changed_at: string;
}

/**
 * Records a new version of a beneficiary (append-only: beneficiary_versions keeps every version with
 * who and when) and makes it the latest in `beneficiaries`, in one transaction. Concurrent writers of
 * one code take turns on the row lock.
 */
export async function upsertBeneficiary(
  db: Database,
  input: { creditCode: string; name: string; qualifications: QualificationId[]; listingReserve: boolean; listingReserveSince: string | null },
  change: { by: string | null; at: Date },
): Promise<BeneficiaryRow & { version: number }> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<BeneficiaryRow>(
      `INSERT INTO beneficiaries (credit_code, name, qualifications, listing_reserve, listing_reserve_since)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (credit_code) DO UPDATE SET name = EXCLUDED.name, qualifications = EXCLUDED.qualifications,
         listing_reserve = EXCLUDED.listing_reserve, listing_reserve_since = EXCLUDED.listing_reserve_since
       RETURNING ${BENEFICIARY_COLUMNS}`,
      [input.creditCode, input.name, input.qualifications, input.listingReserve, input.listingReserveSince],
    );
    const versions = await tx.query<{ version: number }>(
      `INSERT INTO beneficiary_versions (credit_code, version, name, qualifications, listing_reserve, listing_reserve_since, changed_by, changed_at)
       SELECT $1, COALESCE(max(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM beneficiary_versions WHERE credit_code = $1
       RETURNING version`,
      [input.creditCode, input.name, input.qualifications, input.listingReserve, input.listingReserveSince, change.by, change.at],
    );
    return { ...rows[0]!, version: versions[0]!.version };
  });
}

/** Every version of a beneficiary record, oldest first. */
export async function listBeneficiaryVersions(db: Database, code: string): Promise<BeneficiaryVersionRow[]> {
  return db.query<BeneficiaryVersionRow>(
    `SELECT credit_code, name, qualifications, listing_reserve, to_char(listing_reserve_since, 'YYYY-MM-DD') AS listing_reserve_since,
            version, changed_by, changed_at FROM beneficiary_versions WHERE credit_code = $1 ORDER BY version`,
    [code],
  );
}

export async function findBeneficiary(db: Database, code: string): Promise<BeneficiaryRow | undefined> {
  return (await db.query<BeneficiaryRow>(`SELECT ${BENEFICIARY_COLUMNS} FROM beneficiaries WHERE credit_code = $1`, [code]))[0];
}

export async function listBeneficiaries(db: Database, options: { listingReserve?: boolean; limit: number; offset: number }): Promise<BeneficiaryRow[]> {
  return db.query<BeneficiaryRow>(
    `SELECT ${BENEFICIARY_COLUMNS} FROM beneficiaries ${options.listingReserve === undefined ? '' : 'WHERE listing_reserve = $3'}
      ORDER BY credit_code LIMIT $1 OFFSET $2`,
    options.listingReserve === undefined ? [options.limit, options.offset] : [options.limit, options.offset, options.listingReserve],
  );
}

export async function addPriorSupport(
  db: Database,
  input: Omit<PriorSupportRow, 'id'>,
  recordedBy: string,
): Promise<PriorSupportRow> {
  const rows = await db.query<PriorSupportRow>(
    `INSERT INTO prior_support (id, beneficiary_code, policy, level, year, item, amount_fen, contract_numbers, invoice_numbers, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     RETURNING id, beneficiary_code, policy, level, year, item, amount_fen, contract_numbers, invoice_numbers`,
    [randomUUID(), input.beneficiary_code, input.policy, input.level, input.year, input.item, input.amount_fen,
      input.contract_numbers, input.invoice_numbers, recordedBy],
  );
  return rows[0]!;
}

/** Prior support that may overlap: same beneficiary, or sharing any contract or invoice number. */
export async function findPossiblyOverlappingSupport(
  db: Database,
  query: { beneficiaryCode: string | null; contractNumbers: readonly string[]; invoiceNumbers: readonly string[] },
): Promise<PriorSupportRow[]> {
  return db.query<PriorSupportRow>(
    `SELECT id, beneficiary_code, policy, level, year, item, amount_fen, contract_numbers, invoice_numbers FROM prior_support
      WHERE beneficiary_code = $1 OR contract_numbers && $2::text[] OR invoice_numbers && $3::text[]`,
    [query.beneficiaryCode, query.contractNumbers, query.invoiceNumbers],
  );
}

export async function listPriorSupport(db: Database, code: string): Promise<PriorSupportRow[]> {
  return db.query<PriorSupportRow>(
    `SELECT id, beneficiary_code, policy, level, year, item, amount_fen, contract_numbers, invoice_numbers FROM prior_support
      WHERE beneficiary_code = $1 ORDER BY year DESC, created_at`,
    [code],
  );
}

/**
 * The beneficiary code center staff confirmed in the project's latest center APPROVE (an audited
 * event), or null. A later review round needs a new confirmation.
 */
export async function findConfirmedBeneficiaryCode(db: Database, projectId: string): Promise<string | null> {
  const rows = await db.query<{ code: string | null }>(
    `SELECT payload->>'confirmBeneficiaryCreditCode' AS code FROM project_events
      WHERE project_id = $1 AND event_type = 'APPROVE' AND actor_role = 'center' ORDER BY seq DESC LIMIT 1`,
    [projectId],
  );
  return rows[0]?.code ?? null;
}
