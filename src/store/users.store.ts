import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../config/roles.ts';
import type { Database } from './database.ts';

export type OrgKind = 'center' | 'finance' | 'leadership' | 'unit' | 'enterprise' | 'authority' | 'operator';

export interface OrgRow {
  id: string;
  name: string;
  kind: OrgKind;
  credit_code: string | null;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  org_id: string | null;
  locale: 'zh-CN' | 'en';
  active: boolean;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function addOrganisation(db: Database, input: { name: string; kind: OrgKind; creditCode?: string }): Promise<OrgRow> {
  const rows = await db.query<OrgRow>(
    'INSERT INTO organisations (id, name, kind, credit_code) VALUES ($1, $2, $3, $4) RETURNING id, name, kind, credit_code',
    [randomUUID(), input.name, input.kind, input.creditCode ?? null],
  );
  return rows[0]!;
}

export async function findOrganisation(db: Database, id: string): Promise<OrgRow | undefined> {
  const rows = await db.query<OrgRow>('SELECT id, name, kind, credit_code FROM organisations WHERE id = $1', [id]);
  return rows[0];
}

export async function findOrganisationByName(db: Database, name: string): Promise<OrgRow | undefined> {
  const rows = await db.query<OrgRow>('SELECT id, name, kind, credit_code FROM organisations WHERE name = $1', [name]);
  return rows[0];
}

export async function listOrganisations(db: Database): Promise<OrgRow[]> {
  return db.query<OrgRow>('SELECT id, name, kind, credit_code FROM organisations ORDER BY name');
}

export async function addUser(
  db: Database,
  input: { email: string; name: string; role: Role; orgId: string | null; locale?: 'zh-CN' | 'en' },
): Promise<UserRow> {
  const rows = await db.query<UserRow>(
    `INSERT INTO users (id, email, name, role, org_id, locale) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, email, name, role, org_id, locale, active`,
    [randomUUID(), input.email.toLowerCase(), input.name, input.role, input.orgId, input.locale ?? 'zh-CN'],
  );
  return rows[0]!;
}

/** Issues a new API token; only its hash is stored, the token is returned once. */
export async function issueApiToken(db: Database, userId: string, label = ''): Promise<string> {
  const token = `ff_${randomBytes(32).toString('base64url')}`;
  await db.query('INSERT INTO api_tokens (token_hash, user_id, label) VALUES ($1, $2, $3)', [hashToken(token), userId, label]);
  return token;
}

export async function findUserByToken(db: Database, token: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(
    `SELECT u.id, u.email, u.name, u.role, u.org_id, u.locale, u.active
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active`,
    [hashToken(token)],
    'find-user-by-token',
  );
  return rows[0];
}

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(
    'SELECT id, email, name, role, org_id, locale, active FROM users WHERE email = $1',
    [email.toLowerCase()],
  );
  return rows[0];
}
