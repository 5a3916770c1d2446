import type { Role } from '../../../config/roles.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { APPLICANT_ORG_KINDS } from './role-labels.ts';
import { findOrganisation, findUser, updateUser as updateStored, type UserRow } from '../../store/users.store.ts';

/**
 * Changes a person's name, role or organisation (编辑角色). It applies to their next request:
 * sessions and tokens read the user's row each time. An admin cannot take their own admin role away
 * (the county would be left without one by a slip). Undefined for an unknown user.
 */
export async function updateUser(
  deps: Pick<EngineDeps, 'db'>,
  input: { userId: string; by: string; name?: string; role?: Role; orgId?: string | null },
): Promise<UserRow | undefined> {
  const current = await findUser(deps.db, input.userId);
  if (!current) return undefined;
  if (input.userId === input.by && input.role !== undefined && input.role !== 'admin') {
    throw AppError.badInput([{ field: 'role', message: 'an admin cannot remove their own admin role (不能取消本人的系统管理员角色)' }]);
  }
  const role = input.role ?? current.role;
  const orgId = input.orgId !== undefined ? input.orgId : current.org_id;
  if (role === 'applicant' && !orgId) throw AppError.badInput([{ field: 'orgId', message: 'an applicant belongs to an organisation (项目单位须选择所属单位)' }]);
  const org = orgId ? await findOrganisation(deps.db, orgId) : undefined;
  if (orgId && !org) throw AppError.badInput([{ field: 'orgId', message: 'no such organisation' }]);
  if (role === 'applicant' && org && !APPLICANT_ORG_KINDS.has(org.kind)) throw AppError.badInput([{ field: 'orgId', message: 'an applicant belongs to a unit or an enterprise (项目单位须属于机关、协会或企业)' }]);
  return updateStored(deps.db, input.userId, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.orgId !== undefined ? { orgId: input.orgId } : {}),
  });
}
