import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '../../machines/project.types.ts';
import { AppError } from '../engine/app-error.ts';
import type { Database } from '../usecases/system/open-database.ts';
import { findUserByToken, type UserRow } from '../usecases/users/find-user-by-token.ts';

export interface AuthenticatedUser extends Actor {
  email: string;
  name: string;
  locale: 'zh-CN' | 'en';
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthenticatedUser;
  }
}

function toUser(row: UserRow): AuthenticatedUser {
  return { userId: row.id, role: row.role, orgId: row.org_id, email: row.email, name: row.name, locale: row.locale };
}

type CachedUser = { user: AuthenticatedUser; until: number };

/** Every token cache of this process, so a revocation made here is seen at once (issue 11). */
const tokenCaches = new Set<Map<string, CachedUser>>();

/**
 * Forgets every cached token lookup of this process. Revoking a token or deactivating a user through
 * this process calls it; another process (the CLI) is seen within TOKEN_CACHE_SECONDS.
 */
export function forgetCachedTokens(): void {
  for (const cache of tokenCaches) cache.clear();
}

/**
 * Bearer-token authentication. Lookups are cached for a few seconds (TOKEN_CACHE_SECONDS, 0 turns
 * it off), never past the token's expiry: a token revoked or a user deactivated by another process
 * stops working within that time; through this process, at once (forgetCachedTokens).
 */
export function bearerAuth(db: Database, cacheSeconds: number, now: () => number = Date.now): RequestHandler {
  const cache = new Map<string, CachedUser>();
  if (cacheSeconds > 0) tokenCaches.add(cache);
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
    const token = match[1]!;
    const at = now();
    const cached = cache.get(token);
    if (cached && cached.until > at) {
      req.user = cached.user;
      return next();
    }
    const row = await findUserByToken({ db }, token, new Date(at));
    if (!row) throw new AppError('unauthenticated', 'the token is unknown, expired or revoked, or its user is inactive');
    const user = toUser(row);
    if (cacheSeconds > 0) {
      if (cache.size > 10_000) cache.clear();
      const expires = row.token_expires_at ? new Date(row.token_expires_at).getTime() : Infinity;
      cache.set(token, { user, until: Math.min(at + cacheSeconds * 1000, expires) });
    }
    req.user = user;
    next();
  };
}

export function requireUser(req: Request): AuthenticatedUser {
  if (!req.user) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
  return req.user;
}
