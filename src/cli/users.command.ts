import { ORG_OF_ROLE } from '../admin/standard-directory.ts';
import { z } from 'zod';
import { ROLES, type Role } from '../../config/roles.ts';
import { ensureStandardOrganisations } from '../admin/standard-directory.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode, type Database } from '../usecases/system/open-database.ts';
import { findOrganisation, type OrgRow } from '../usecases/orgs/find-organisation.ts';
import { addUser } from '../usecases/users/add-user.ts';
import { deactivateUser } from '../usecases/users/deactivate-user.ts';
import { CommandError, UsageError, parseFlags } from './cli-errors.ts';

export type StaffRole = Exclude<Role, 'applicant'>;

/** The standing organisation a staff member joins when no --org is given. */
export const STANDING_ORG_OF_ROLE: Record<StaffRole, string> = ORG_OF_ROLE;

/** Organisation kinds an applicant may belong to: the units and enterprises that run projects. */
const APPLICANT_ORG_KINDS = new Set(['unit', 'enterprise']);

export const addUserFlags = z.object({
  email: z.email({ message: 'must be an email address' }).max(320),
  name: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters').optional(),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
  org: z.string().trim().min(1, 'must not be empty').optional(),
  locale: z.enum(['zh-CN', 'en'], { message: 'must be zh-CN or en' }).default('zh-CN'),
});

export interface NewUserOutput {
  id: string;
  email: string;
  name: string;
  role: Role;
  orgId: string | null;
  orgName: string | null;
  locale: 'zh-CN' | 'en';
  /** Shown once; only its hash is stored. */
  token: string;
}

/** An organisation by id, or else by its exact name; a flag that names nothing is a usage error. */
export async function resolveOrganisation(db: Database, reference: string, flag = '--org'): Promise<OrgRow> {
  const org = await findOrganisation({ db }, reference);
  if (!org) throw new UsageError(`${flag}: no organisation with id or name ${JSON.stringify(reference)} (see orgs:list)`);
  return org;
}

/** `users:add --email <email> [--name <name>] --role <role> [--org <id or name>] [--locale zh-CN|en]` */
export async function addUserCommand(
  db: Database,
  flags: z.input<typeof addUserFlags>,
  options: { tokenTtlDays?: number; now?: Date } = {},
): Promise<NewUserOutput> {
  const input = parseFlags(addUserFlags, flags);
  let org: OrgRow;
  if (input.org !== undefined) {
    org = await resolveOrganisation(db, input.org);
    if (input.role === 'applicant' && !APPLICANT_ORG_KINDS.has(org.kind)) {
      throw new UsageError(`--org: an applicant belongs to a unit or an enterprise, and ${JSON.stringify(org.name)} is a ${org.kind}`);
    }
  } else if (input.role === 'applicant') {
    throw new UsageError('--org: is required for an applicant (the unit or enterprise it acts for)');
  } else {
    const standing = await ensureStandardOrganisations(db);
    org = standing[STANDING_ORG_OF_ROLE[input.role]]!;
  }
  const email = input.email.toLowerCase();
  const name = input.name ?? email.split('@')[0]!;
  try {
    const { user, token } = await addUser(
      { db },
      { email, name, role: input.role, orgId: org.id, locale: input.locale, tokenTtlDays: options.tokenTtlDays ?? 0, now: options.now ?? new Date() },
    );
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      orgId: user.org_id,
      orgName: org.name,
      locale: user.locale,
      token,
    };
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
      throw new CommandError(`a user with email ${email} already exists; run tokens:issue --email ${email} for a new token`);
    }
    throw error;
  }
}

export const deactivateUserFlags = z.object({
  email: z.email({ message: 'must be an email address' }).max(320),
});

/**
 * `users:deactivate --email <email>`: the user can no longer sign in; every token and every unused
 * email link of theirs is revoked in the same transaction.
 */
export async function deactivateUserCommand(
  db: Database,
  flags: z.input<typeof deactivateUserFlags>,
): Promise<{ userId: string; email: string; tokensRevoked: number; linksRevoked: number }> {
  const input = parseFlags(deactivateUserFlags, flags);
  const result = await deactivateUser({ db }, { email: input.email }, null);
  if (!result) throw new UsageError(`--email: no user with email ${input.email.toLowerCase()}`);
  return { userId: result.user.id, email: result.user.email, tokensRevoked: result.tokensRevoked, linksRevoked: result.linksRevoked };
}
