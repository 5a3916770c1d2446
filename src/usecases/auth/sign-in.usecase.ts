import { createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { safeNextPath, SIGN_IN_VALIDITY_MS } from '../../domain/sign-in-rules.ts';
import { deliverOnce } from '../../mail/deliver-once.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { renderSignInMail } from '../../mail/sign-in.template.ts';
import type { Database } from '../../store/database.ts';
import {
  createChallenge,
  createSession,
  hashSecret,
  hashSignInCode,
  spendChallengeByCode,
  spendChallengeByToken,
} from '../../store/sessions.store.ts';
import { findUserByEmail } from '../../store/users.store.ts';

export interface SessionPolicy {
  /** A session unused this long ends (SESSION_IDLE_MINUTES). */
  idleMs: number;
  /** A session ends this long after sign-in, however busy (SESSION_ABSOLUTE_HOURS). */
  absoluteMs: number;
}

export interface AuthDeps {
  db: Database;
  mailer: Mailer;
  now: () => Date;
  publicUrl: string;
  session: SessionPolicy;
}

/** The link of a sign-in token; the SPA and the server page share this path. */
export const signInLink = (publicUrl: string, token: string) => `${publicUrl}/sign-in/${token}`;

/** The CSRF token of a session: an HMAC keyed by the session's secret token, so only its holder can know it. */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('fundflow csrf').digest('base64url');
}

export interface IssuedSignIn {
  challengeId: string;
  link: string;
  code: string;
  expiresAt: Date;
}

/** A fresh link and code for a user; only their hashes are stored. */
export async function issueSignIn(db: Database, input: { userId: string; publicUrl: string; next: string | null; now: Date }): Promise<IssuedSignIn> {
  const challengeId = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(input.now.getTime() + SIGN_IN_VALIDITY_MS);
  await createChallenge(db, {
    id: challengeId,
    userId: input.userId,
    tokenHash: hashSecret(token),
    codeHash: hashSignInCode(challengeId, code),
    nextPath: input.next,
    now: input.now,
    expiresAt,
  });
  return { challengeId, link: signInLink(input.publicUrl, token), code, expiresAt };
}

/**
 * Emails a link and code to the address if it belongs to an active user, and does nothing
 * otherwise; the caller answers the same either way. The sending is returned, not awaited, so the
 * answer does not wait on SMTP.
 */
export async function requestSignIn(deps: AuthDeps, input: { email: string; next?: unknown }): Promise<{ sending?: Promise<unknown> }> {
  const user = await findUserByEmail(deps.db, input.email);
  if (!user || !user.active) return {};
  const now = deps.now();
  const issued = await issueSignIn(deps.db, { userId: user.id, publicUrl: deps.publicUrl, next: safeNextPath(input.next), now });
  const sending = deliverOnce(deps.db, deps.mailer, deps.now, {
    key: `sign-in.${issued.challengeId}`,
    userId: user.id,
    email: user.email,
    compose: () => renderSignInMail({ locale: user.locale, recipientName: user.name, link: issued.link, code: issued.code, expiresAt: issued.expiresAt }),
  }).then((outcome) => {
    if (outcome.status === 'failed') throw new Error(`sign-in mail not sent: ${outcome.error}`);
  });
  return { sending };
}

export interface OpenedSession {
  sessionId: string;
  /** The cookie's value; only its hash is stored. */
  token: string;
  csrfToken: string;
  userId: string;
  next: string | null;
}

async function openSession(deps: AuthDeps, userId: string, next: string | null, userAgent: string | null): Promise<OpenedSession> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.now();
  const sessionId = await createSession(deps.db, { tokenHash: hashSecret(token), userId, userAgent, now, expiresAt: new Date(now.getTime() + deps.session.absoluteMs) });
  return { sessionId, token, csrfToken: csrfTokenOf(token), userId, next };
}

/** Spends the link and opens a session; undefined when the link is unknown, used, expired or its user inactive. */
export async function signInWithLink(deps: AuthDeps, token: string, userAgent: string | null): Promise<OpenedSession | undefined> {
  const spent = await spendChallengeByToken(deps.db, hashSecret(token), deps.now());
  return spent ? openSession(deps, spent.user_id, spent.next_path, userAgent) : undefined;
}

/** Spends the challenge whose code this is and opens a session; undefined for a wrong, used or expired code. */
export async function signInWithCode(deps: AuthDeps, input: { email: string; code: string }, userAgent: string | null): Promise<OpenedSession | undefined> {
  const spent = await spendChallengeByCode(deps.db, input.email, input.code, deps.now());
  return spent ? openSession(deps, spent.user_id, spent.next_path, userAgent) : undefined;
}
