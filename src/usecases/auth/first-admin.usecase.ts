import { ensureStandardOrganisations, ORG_OF_ROLE } from '../../admin/standard-directory.ts';
import { formatBeijingMinute } from '../../domain/sign-in-rules.ts';
import { pgErrorCode, PG_UNIQUE_VIOLATION, type Database } from '../../store/database.ts';
import { countUsers, hasEverSignedIn } from '../../store/sessions.store.ts';
import { addUser, findUserByEmail, type UserRow } from '../../store/users.store.ts';
import { issueSignIn } from './sign-in.usecase.ts';

export type FirstAdminOutcome =
  | { kind: 'nothing' }
  | { kind: 'needs-admin-email' }
  | { kind: 'link'; email: string; link: string; expiresAt: Date };

async function createFirstAdmin(db: Database, email: string): Promise<UserRow> {
  const orgs = await ensureStandardOrganisations(db);
  try {
    return await addUser(db, { email, name: '系统管理员', role: 'admin', orgId: orgs[ORG_OF_ROLE.admin]!.id });
  } catch (error) {
    // Two processes starting at once on one PostgreSQL: the other one made it.
    if (pgErrorCode(error) !== PG_UNIQUE_VIOLATION) throw error;
    return (await findUserByEmail(db, email))!;
  }
}

/**
 * Nobody needs the CLI to begin: on a database with no users, the first administrator (ADMIN_EMAIL)
 * is created and gets a one-time sign-in link; at every start until they have signed in, a fresh
 * one. Without ADMIN_EMAIL the caller says how to set it.
 */
export async function prepareFirstAdmin(db: Database, input: { adminEmail: string | undefined; publicUrl: string; now: Date }): Promise<FirstAdminOutcome> {
  const empty = (await countUsers(db)) === 0;
  if (!input.adminEmail) return empty ? { kind: 'needs-admin-email' } : { kind: 'nothing' };
  const existing = empty ? undefined : await findUserByEmail(db, input.adminEmail);
  if (!empty && (!existing || existing.role !== 'admin' || !existing.active || (await hasEverSignedIn(db, existing.id)))) return { kind: 'nothing' };
  const admin = existing ?? (await createFirstAdmin(db, input.adminEmail));
  const issued = await issueSignIn(db, { userId: admin.id, publicUrl: input.publicUrl, next: null, now: input.now });
  return { kind: 'link', email: admin.email, link: issued.link, expiresAt: issued.expiresAt };
}

/** The one line the start prints, or nothing. */
export function describeFirstAdmin(outcome: FirstAdminOutcome): string | undefined {
  switch (outcome.kind) {
    case 'nothing':
      return undefined;
    case 'needs-admin-email':
      return 'fundflow: no users yet. Set ADMIN_EMAIL=<your email> and start again: the first administrator gets a one-time sign-in link here (or add users with npm run -s cli -- users:add while the service runs).';
    case 'link':
      return `fundflow: first administrator ${outcome.email}: sign in at ${outcome.link} (one use, until ${formatBeijingMinute(outcome.expiresAt)} Beijing time; each start prints a fresh link until they have signed in)`;
  }
}
