import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../engine/app-error.ts';
import type { Database } from '../usecases/system/open-database.ts';
import { touchSession } from '../usecases/sessions/touch-session.ts';
import { csrfTokenOf, type SessionPolicy } from '../usecases/auth/sign-in.usecase.ts';

export const SESSION_COOKIE = 'ff_session';
export const CSRF_HEADER = 'X-CSRF-Token';

export interface BrowserSession {
  id: string;
  csrfToken: string;
  orgName: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the request was authenticated by the session cookie (not by a bearer token). */
    browserSession?: BrowserSession;
  }
}

export interface SessionCookieSettings extends SessionPolicy {
  /** Secure cookies when PUBLIC_URL is https. */
  secure: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function cookieOptions(settings: SessionCookieSettings): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: settings.secure, path: '/' };
}

export function setSessionCookie(res: Response, token: string, settings: SessionCookieSettings): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(settings), maxAge: settings.absoluteMs });
}

export function clearSessionCookie(res: Response, settings: SessionCookieSettings): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(settings));
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Authenticates by the `ff_session` cookie: the session must be live (not ended, not idle too
 * long, not past its absolute expiry) and its user active, checked on every request. A write
 * (anything but GET/HEAD/OPTIONS) must also carry X-CSRF-Token equal to the session's token.
 */
export function sessionAuth(db: Database, settings: SessionCookieSettings, now: () => Date): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) throw new AppError('unauthenticated', 'sign in, or send Authorization: Bearer <token>');
    const row = await touchSession({ db }, token, now(), settings.idleMs);
    if (!row) throw new AppError('unauthenticated', 'the session has ended or expired; sign in again');
    const csrfToken = csrfTokenOf(token);
    if (!SAFE_METHODS.has(req.method) && !sameText(req.get(CSRF_HEADER) ?? '', csrfToken)) {
      throw new AppError('csrf', `a change made with the session cookie needs the ${CSRF_HEADER} header (from GET /api/v1/auth/me)`);
    }
    req.user = { userId: row.id, role: row.role, orgId: row.org_id, email: row.email, name: row.name, locale: row.locale };
    req.browserSession = { id: row.session_id, csrfToken, orgName: row.org_name };
    next();
  };
}

/** The audit channel of a request: 'page' when a person acted in the staff pages (session cookie), else 'api'. */
export function channelOf(req: Request): 'page' | 'api' {
  return req.browserSession ? 'page' : 'api';
}

/** Bearer token when an Authorization header is present (machine clients, no CSRF header), else the session cookie. */
export function apiAuth(bearer: RequestHandler, session: RequestHandler): RequestHandler {
  return (req, res, next) => (req.get('authorization') ? bearer(req, res, next) : session(req, res, next));
}
