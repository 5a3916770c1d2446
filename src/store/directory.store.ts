import type { Database } from './database.ts';

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
