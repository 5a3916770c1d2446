import { createHash, randomUUID } from 'node:crypto';
import type { Role } from '../../config/roles.ts';
import type { Database } from './database.ts';

/** Tokens (sign-in links, session cookies) are kept as SHA-256 only, like task links. */
export const hashSecret = (token: string) => createHash('sha256').update(token).digest('hex');

/** The code's hash is salted with its challenge's id, so equal codes of two challenges differ. */
export const hashSignInCode = (challengeId: string, code: string) => hashSecret(`${challengeId}:${code}`);

/** Wrong codes a challenge takes before it is spent. */
export const MAX_CODE_ATTEMPTS = 5;

export interface SessionUserRow {
  session_id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  org_id: string | null;
  org_name: string | null;
  locale: 'zh-CN' | 'en';
}

export interface ChallengeView {
  id: string;
  user_id: string;
  next_path: string | null;
  expires_at: Date;
  used_at: Date | null;
  user_locale: 'zh-CN' | 'en';
  user_active: boolean;
}

export async function createChallenge(
  db: Database,
  input: { id: string; userId: string; tokenHash: string; codeHash: string; nextPath: string | null; now: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO sign_in_challenges (id, user_id, token_hash, code_hash, next_path, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [input.id, input.userId, input.tokenHash, input.codeHash, input.nextPath, input.now.toISOString(), input.expiresAt.toISOString()],
  );
}

/** The challenge behind a link, whatever its state (the page says what happened). */
export async function findChallenge(db: Database, tokenHash: string): Promise<ChallengeView | undefined> {
  const rows = await db.query<ChallengeView>(
    `SELECT c.id, c.user_id, c.next_path, c.expires_at, c.used_at, u.locale AS user_locale, u.active AS user_active
       FROM sign_in_challenges c JOIN users u ON u.id = c.user_id WHERE c.token_hash = $1`,
    [tokenHash],
  );
  return rows[0];
}

/** Spends a live link in one statement: of two POSTs, exactly one gets the row. */
export async function spendChallengeByToken(db: Database, tokenHash: string, now: Date): Promise<{ user_id: string; next_path: string | null } | undefined> {
  const rows = await db.query<{ user_id: string; next_path: string | null }>(
    `UPDATE sign_in_challenges c SET used_at = $2
       FROM users u
      WHERE c.token_hash = $1 AND u.id = c.user_id AND u.active AND c.used_at IS NULL AND c.expires_at > $2
      RETURNING c.user_id, c.next_path`,
    [tokenHash, now.toISOString()],
  );
  return rows[0];
}

/**
 * Spends the live challenge of this email whose code matches, in one statement. A miss counts a
 * wrong attempt against every live challenge of the email; at MAX_CODE_ATTEMPTS they are spent.
 */
export async function spendChallengeByCode(db: Database, email: string, code: string, now: Date): Promise<{ user_id: string; next_path: string | null } | undefined> {
  const rows = await db.query<{ user_id: string; next_path: string | null }>(
    `UPDATE sign_in_challenges c SET used_at = $3
       FROM users u
      WHERE u.email = $1 AND u.active AND c.user_id = u.id AND c.used_at IS NULL AND c.expires_at > $3 AND c.attempts < $4
        AND c.code_hash = encode(sha256(convert_to(c.id::text || ':' || $2, 'UTF8')), 'hex')
      RETURNING c.user_id, c.next_path`,
    [email.toLowerCase(), code, now.toISOString(), MAX_CODE_ATTEMPTS],
  );
  if (rows[0]) return rows[0];
  await db.query(
    `UPDATE sign_in_challenges c SET attempts = c.attempts + 1, used_at = CASE WHEN c.attempts + 1 >= $3 THEN $2::timestamptz END
       FROM users u
      WHERE u.email = $1 AND c.user_id = u.id AND c.used_at IS NULL AND c.expires_at > $2`,
    [email.toLowerCase(), now.toISOString(), MAX_CODE_ATTEMPTS],
  );
  return undefined;
}

export async function createSession(
  db: Database,
  input: { tokenHash: string; userId: string; userAgent: string | null; now: Date; expiresAt: Date },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO sessions (id, token_hash, user_id, user_agent, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)`,
    [id, input.tokenHash, input.userId, input.userAgent?.slice(0, 500) ?? null, input.now.toISOString(), input.expiresAt.toISOString()],
  );
  return id;
}

/**
 * How stale a session's last_seen_at may get before a request writes it again. A page opens with
 * half a dozen requests at once; writing the same row for each made them queue on its lock and on
 * a commit each. The idle expiry (SESSION_IDLE_MINUTES, at least a minute) is then exact to this.
 */
export const SESSION_SEEN_REFRESH_MS = 30_000;

/**
 * The user of a live session, marking it seen now when it was last marked more than
 * SESSION_SEEN_REFRESH_MS ago. Dead sessions (ended, idle too long, past their absolute expiry)
 * and inactive users get nothing, at once.
 */
export async function touchSession(db: Database, tokenHash: string, now: Date, idleMs: number): Promise<SessionUserRow | undefined> {
  const rows = await db.query<SessionUserRow & { last_seen_at: Date }>(
    `SELECT s.id AS session_id, s.last_seen_at, u.id, u.email, u.name, u.role, u.org_id, o.name AS org_name, u.locale
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN organisations o ON o.id = u.org_id
      WHERE s.token_hash = $1 AND u.active AND s.ended_at IS NULL
        AND s.expires_at > $2 AND s.last_seen_at > $3`,
    [tokenHash, now.toISOString(), new Date(now.getTime() - idleMs).toISOString()],
    'sessions.find-live',
  );
  const row = rows[0];
  if (!row) return undefined;
  if (now.getTime() - new Date(row.last_seen_at).getTime() >= SESSION_SEEN_REFRESH_MS) {
    await db.query(`UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [row.session_id, now.toISOString()], 'sessions.touch');
  }
  const { last_seen_at: _seen, ...user } = row;
  return user;
}

export interface SessionListRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  user_agent: string | null;
}

export async function listLiveSessions(db: Database, userId: string, now: Date, idleMs: number): Promise<SessionListRow[]> {
  return db.query<SessionListRow>(
    `SELECT id, created_at, last_seen_at, user_agent FROM sessions
      WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2 AND last_seen_at > $3
      ORDER BY last_seen_at DESC`,
    [userId, now.toISOString(), new Date(now.getTime() - idleMs).toISOString()],
  );
}

/** Ends one of the user's sessions; false when it is not theirs or already ended. */
export async function endSession(db: Database, input: { userId: string; sessionId: string; reason: string; now: Date }): Promise<boolean> {
  const rows = await db.query(
    `UPDATE sessions SET ended_at = $3, ended_reason = $4 WHERE id = $1 AND user_id = $2 AND ended_at IS NULL RETURNING id`,
    [input.sessionId, input.userId, input.now.toISOString(), input.reason],
  );
  return rows.length > 0;
}

export async function hasEverSignedIn(db: Database, userId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM sessions WHERE user_id = $1 LIMIT 1', [userId])).length > 0;
}

export async function countUsers(db: Database): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n;
}

export interface UserProfileRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  org_id: string | null;
  org_name: string | null;
  locale: 'zh-CN' | 'en';
}

export async function findUserProfile(db: Database, userId: string): Promise<UserProfileRow | undefined> {
  const rows = await db.query<UserProfileRow>(
    `SELECT u.id, u.name, u.email, u.role, u.org_id, o.name AS org_name, u.locale
       FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.id = $1 AND u.active`,
    [userId],
  );
  return rows[0];
}
