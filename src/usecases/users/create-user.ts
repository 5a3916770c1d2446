import type { Role } from '../../../config/roles.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { APPLICANT_ORG_KINDS } from './role-labels.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../store/database.ts';
import { addUser as insertUser, findOrganisation, type UserRow } from '../../store/users.store.ts';

/**
 * Adds a person (人员) with one role and, except for some staff, one organisation; no API token
 * (an admin issues one when a machine client needs it). A taken email or an unknown organisation
 * is a 400 naming the field.
 */
export async function createUser(
  deps: Pick<EngineDeps, 'db'>,
  input: { email: string; name: string; role: Role; orgId: string | null; locale: 'zh-CN' | 'en' },
): Promise<UserRow> {
  if (input.role === 'applicant' && !input.orgId) throw AppError.badInput([{ field: 'orgId', message: 'an applicant belongs to an organisation (项目单位须选择所属单位)' }]);
  const org = input.orgId ? await findOrganisation(deps.db, input.orgId) : undefined;
  if (input.orgId && !org) throw AppError.badInput([{ field: 'orgId', message: 'no such organisation' }]);
  if (input.role === 'applicant' && org && !APPLICANT_ORG_KINDS.has(org.kind)) throw AppError.badInput([{ field: 'orgId', message: 'an applicant belongs to a unit or an enterprise (项目单位须属于机关、协会或企业)' }]);
  try {
    return await insertUser(deps.db, input);
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw AppError.badInput([{ field: 'email', message: 'this email already has an account (该邮箱已有账号)' }]);
    throw error;
  }
}
