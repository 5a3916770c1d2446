import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../engine/app-error.ts';
import type { Database } from '../../usecases/system/open-database.ts';
import { deactivateUser } from '../../usecases/users/deactivate-user.ts';
import { listUserTokens } from '../../usecases/users/list-user-tokens.ts';
import { revokeToken, type ApiTokenRow } from '../../usecases/users/revoke-token.ts';
import { forgetCachedTokens, requireUser, type AuthenticatedUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

export const revokeTokenSchema = z.object({
  /** The token itself, or its SHA-256 in hex as listed by GET /admin/users/{id}/tokens. */
  token: z.string().trim().min(8, 'the token or its SHA-256').max(200),
});

function requireAdmin(user: AuthenticatedUser): void {
  if (user.role !== 'admin') throw new AppError('forbidden', `this is for admin, not ${user.role}`);
}

const at = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function tokenView(row: ApiTokenRow) {
  return { tokenHash: row.token_hash, userId: row.user_id, label: row.label, createdAt: at(row.created_at), expiresAt: at(row.expires_at), revokedAt: at(row.revoked_at) };
}

/**
 * Losing access (issue 11): an admin revokes a token or deactivates a user. Both take effect on
 * this process at once (its token cache is emptied); other API processes see it within TOKEN_CACHE_SECONDS.
 */
export function adminRouter(db: Database): Router {
  const router = Router();

  router.post('/admin/tokens/revoke', async (req, res) => {
    const admin = requireUser(req);
    requireAdmin(admin);
    const input = parseOrThrow(revokeTokenSchema, req.body);
    const row = await revokeToken({ db }, input.token, admin.userId);
    if (!row) throw new AppError('not-found', 'no such token');
    forgetCachedTokens();
    res.json(tokenView(row));
  });

  router.get('/admin/users/:id/tokens', async (req, res) => {
    requireAdmin(requireUser(req));
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const tokens = await listUserTokens({ db }, id);
    if (!tokens) throw new AppError('not-found', `no user ${id}`);
    res.json({ items: tokens.map(tokenView) });
  });

  router.post('/admin/users/:id/deactivate', async (req, res) => {
    const admin = requireUser(req);
    requireAdmin(admin);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    if (id === admin.userId) throw new AppError('guard-refused', 'an admin cannot deactivate themself', { reasons: ['self-deactivation'] });
    const result = await deactivateUser({ db }, { id }, admin.userId);
    if (!result) throw new AppError('not-found', `no user ${id}`);
    forgetCachedTokens();
    res.json({ userId: result.user.id, email: result.user.email, active: result.user.active, tokensRevoked: result.tokensRevoked, linksRevoked: result.linksRevoked });
  });

  return router;
}
