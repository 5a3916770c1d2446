import { z } from 'zod';
import type { Role } from '../../config/roles.ts';
import type { Database } from '../store/database.ts';
import { findUserByEmail, issueApiToken } from '../store/users.store.ts';
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
}

/** `tokens:issue --email <email> [--label <label>]`: a fresh API token for an existing, active user. */
export async function issueTokenCommand(db: Database, flags: z.input<typeof issueTokenFlags>): Promise<IssuedTokenOutput> {
  const input = parseFlags(issueTokenFlags, flags);
  const user = await findUserByEmail(db, input.email);
  if (!user) throw new UsageError(`--email: no user with email ${input.email.toLowerCase()} (add one with users:add)`);
  if (!user.active) throw new UsageError(`--email: the user ${user.email} is deactivated; a token would not authenticate`);
  const token = await issueApiToken(db, user.id, input.label);
  return { userId: user.id, email: user.email, role: user.role, label: input.label, token };
}
