import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '../../machines/project.types.ts';
import { AppError } from '../engine/app-error.ts';
import type { Database } from '../store/database.ts';
import { findUserByToken, type UserRow } from '../store/users.store.ts';

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

/**
 * Bearer-token authentication. Lookups are cached for a few seconds (TOKEN_CACHE_SECONDS, 0 turns
 * it off): a revoked token or deactivated user stops working within that time.
 */
export function bearerAuth(db: Database, cacheSeconds: number, now: () => number = Date.now): RequestHandler {
  const cache = new Map<string, { user: AuthenticatedUser; until: number }>();
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
    const token = match[1]!;
    const cached = cache.get(token);
    if (cached && cached.until > now()) {
      req.user = cached.user;
      return next();
    }
    const row = await findUserByToken(db, token);
    if (!row) throw new AppError('unauthenticated', 'the token is unknown, revoked, or its user is inactive');
    const user = toUser(row);
    if (cacheSeconds > 0) {
      if (cache.size > 10_000) cache.clear();
      cache.set(token, { user, until: now() + cacheSeconds * 1000 });
    }
    req.user = user;
    next();
  };
}

export function requireUser(req: Request): AuthenticatedUser {
  if (!req.user) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
  return req.user;
}
