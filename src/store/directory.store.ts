import type { Database } from './database.ts';
import type { OrgRow } from './users.store.ts';

/** Small lookups of people and organisations that pages and use cases show by name. */
export async function findUserName(db: Database, id: string): Promise<string | undefined> {
  return (await db.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [id]))[0]?.name;
}

export async function findOrganisationName(db: Database, id: string): Promise<string | undefined> {
  return (await db.query<{ name: string }>('SELECT name FROM organisations WHERE id = $1', [id]))[0]?.name;
}

export interface DelegateCandidate {
  id: string;
  role: string;
  org_id: string | null;
  active: boolean;
}

export async function findDelegateCandidate(db: Database, id: string): Promise<DelegateCandidate | undefined> {
  return (await db.query<DelegateCandidate>('SELECT id, role, org_id, active FROM users WHERE id = $1', [id]))[0];
}

/** 编辑单位: changes the name and/or the credit code (null clears it); undefined for an unknown organisation. */
export async function updateOrganisation(db: Database, id: string, change: { name?: string; creditCode?: string | null }): Promise<OrgRow | undefined> {
  const rows = await db.query<OrgRow>(
    `UPDATE organisations
        SET name = CASE WHEN $2::boolean THEN $3 ELSE name END,
            credit_code = CASE WHEN $4::boolean THEN $5 ELSE credit_code END
      WHERE id = $1
  RETURNING id, name, kind, credit_code`,
    [id, change.name !== undefined, change.name ?? null, change.creditCode !== undefined, change.creditCode ?? null],
  );
  return rows[0];
}
