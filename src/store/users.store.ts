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

/** Issues a new API token; only its hash is stored, the token is returned once. No expiresAt: it never expires. */
export async function issueApiToken(db: Database, userId: string, label = '', expiresAt: Date | null = null): Promise<string> {
  const token = `ff_${randomBytes(32).toString('base64url')}`;
  await db.query('INSERT INTO api_tokens (token_hash, user_id, label, expires_at) VALUES ($1, $2, $3, $4)', [
    hashToken(token),
    userId,
    label,
    expiresAt,
  ]);
  return token;
}

/** When a token issued at `now` expires under TOKEN_TTL_DAYS (0: never). */
export function tokenExpiryOf(now: Date, ttlDays: number): Date | null {
  return ttlDays > 0 ? new Date(now.getTime() + ttlDays * 86_400_000) : null;
}

export interface ApiTokenRow {
  token_hash: string;
  user_id: string;
  label: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export async function listApiTokens(db: Database, userId: string): Promise<ApiTokenRow[]> {
  return db.query<ApiTokenRow>(
    'SELECT token_hash, user_id, label, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at',
    [userId],
  );
}

/**
 * Revokes one token, named by the token itself or by its SHA-256 (what listings show).
 * Answers the revoked row, or undefined when no such token exists; revoking twice keeps the first time.
 */
export async function revokeApiToken(db: Database, tokenOrHash: string, by: string | null): Promise<ApiTokenRow | undefined> {
  const hash = /^[0-9a-f]{64}$/.test(tokenOrHash) ? tokenOrHash : hashToken(tokenOrHash);
  const rows = await db.query<ApiTokenRow>(
    `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()), revoked_by = COALESCE(revoked_by, $2)
      WHERE token_hash = $1 RETURNING token_hash, user_id, label, created_at, expires_at, revoked_at`,
    [hash, by],
  );
  return rows[0];
}

/**
 * Deactivates a user and, in the same transaction, revokes every token and every unused email
 * link of theirs. Answers the counts, or undefined for an unknown user.
 */
export async function deactivateUser(
  db: Database,
  userId: string,
  by: string | null,
): Promise<{ user: UserRow; tokensRevoked: number; linksRevoked: number; sessionsEnded: number } | undefined> {
  return db.transaction(async (tx) => {
    const users = await tx.query<UserRow>(
      `UPDATE users SET active = false, deactivated_at = COALESCE(deactivated_at, now()), deactivated_by = COALESCE(deactivated_by, $2)
        WHERE id = $1 RETURNING id, email, name, role, org_id, locale, active`,
      [userId, by],
    );
    const user = users[0];
    if (!user) return undefined;
    const tokens = await tx.query(
      'UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING token_hash',
      [userId, by],
    );
    const links = await tx.query(
      `UPDATE task_links SET revoked_at = now(), revoked_reason = 'user-deactivated'
        WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING token_hash`,
      [userId],
    );
    // Sessions and unspent sign-in links (invitations included) end with the account. Readers also
    // check users.active, so this is the record of why, not the only barrier.
    const sessions = await tx.query(
      `UPDATE sessions SET ended_at = now(), ended_reason = 'user-deactivated'
        WHERE user_id = $1 AND ended_at IS NULL RETURNING id`,
      [userId],
    );
    await tx.query('UPDATE sign_in_challenges SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [userId]);
    return { user, tokensRevoked: tokens.length, linksRevoked: links.length, sessionsEnded: sessions.length };
  });
}

export async function findUser(db: Database, id: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>('SELECT id, email, name, role, org_id, locale, active FROM users WHERE id = $1', [id]);
  return rows[0];
}

/** The active user of a live token (not revoked, not expired at `at`), with the token's expiry. */
export async function findUserByToken(
  db: Database,
  token: string,
  at: Date = new Date(),
): Promise<(UserRow & { token_expires_at: Date | null }) | undefined> {
  const rows = await db.query<UserRow & { token_expires_at: Date | null }>(
    `SELECT u.id, u.email, u.name, u.role, u.org_id, u.locale, u.active, t.expires_at AS token_expires_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active AND (t.expires_at IS NULL OR t.expires_at > $2)`,
    [hashToken(token), at],
    'find-user-by-live-token',
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

/** A user as the 人员 list shows them: organisation name, live tokens, last sign-in. */
export interface UserListRow extends UserRow {
  org_name: string | null;
  created_at: Date;
  live_tokens: number;
  last_sign_in_at: Date | null;
}

export async function listUsers(db: Database, now: Date): Promise<UserListRow[]> {
  return db.query<UserListRow>(
    `SELECT u.id, u.email, u.name, u.role, u.org_id, u.locale, u.active, u.created_at, o.name AS org_name,
            (SELECT count(*)::int FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $1)) AS live_tokens,
            (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in_at
       FROM users u LEFT JOIN organisations o ON o.id = u.org_id
      ORDER BY u.active DESC, u.role, u.name`,
    [now],
  );
}

/** Changes a user's name, role or organisation; undefined for an unknown user. */
export async function updateUser(
  db: Database,
  userId: string,
  change: { name?: string; role?: Role; orgId?: string | null },
): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(
    `UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role),
            org_id = CASE WHEN $4::boolean THEN $5::uuid ELSE org_id END
      WHERE id = $1 RETURNING id, email, name, role, org_id, locale, active`,
    [userId, change.name ?? null, change.role ?? null, change.orgId !== undefined, change.orgId ?? null],
  );
  return rows[0];
}
