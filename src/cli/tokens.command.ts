import { z } from 'zod';
import type { Role } from '../../config/roles.ts';
import type { Database } from '../usecases/system/open-database.ts';
import { issueToken } from '../usecases/users/issue-token.ts';
import { revokeToken } from '../usecases/users/revoke-token.ts';
import { UsageError, parseFlags } from './cli-errors.ts';

export const issueTokenFlags = z.object({
  email: z.email({ message: 'must be an email address' }),
  label: z.string().trim().max(100, 'at most 100 characters').default('cli'),
});

export interface IssuedTokenOutput {
  userId: string;
  email: string;
  role: Role;
  label: string;
  /** Shown once; only its hash is stored. Earlier tokens stay valid. */
  token: string;
  /** When it stops working (TOKEN_TTL_DAYS), or null for never. */
  expiresAt: string | null;
}

/** `tokens:issue --email <email> [--label <label>]`: a fresh API token for an existing, active user. */
export async function issueTokenCommand(
  db: Database,
  flags: z.input<typeof issueTokenFlags>,
  options: { tokenTtlDays?: number; now?: Date } = {},
): Promise<IssuedTokenOutput> {
  const input = parseFlags(issueTokenFlags, flags);
  const issued = await issueToken({ db }, { email: input.email, label: input.label, tokenTtlDays: options.tokenTtlDays ?? 0, now: options.now ?? new Date() });
  if (issued.outcome === 'no-user') throw new UsageError(`--email: no user with email ${input.email.toLowerCase()} (add one with users:add)`);
  if (issued.outcome === 'inactive') throw new UsageError(`--email: the user ${issued.user.email} is deactivated; a token would not authenticate`);
  const { user, token, expiresAt } = issued;
  return { userId: user.id, email: user.email, role: user.role, label: input.label, token, expiresAt: expiresAt?.toISOString() ?? null };
}

export const revokeTokenFlags = z.object({
  token: z.string().trim().min(8, 'the token, or its SHA-256 in hex').max(200),
});

/**
 * `tokens:revoke --token <token or its sha-256>`: the token stops working; a running service sees
 * it within TOKEN_CACHE_SECONDS (the admin API route revokes at once on its own process).
 */
export async function revokeTokenCommand(db: Database, flags: z.input<typeof revokeTokenFlags>): Promise<{ tokenHash: string; userId: string; revokedAt: string }> {
  const input = parseFlags(revokeTokenFlags, flags);
  const row = await revokeToken({ db }, input.token, null);
  if (!row) throw new UsageError('--token: no such token');
  return { tokenHash: row.token_hash, userId: row.user_id, revokedAt: new Date(row.revoked_at!).toISOString() };
}
