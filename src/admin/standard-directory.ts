import type { Role } from '../../config/roles.ts';
import type { Database } from '../store/database.ts';
import { addOrganisation, addUser, findOrganisationByName, issueApiToken, type OrgKind, type OrgRow } from '../store/users.store.ts';

/** The county's standing organisations; applicant units are added as they apply. */
export const STANDARD_ORGANISATIONS: { key: string; name: string; kind: OrgKind }[] = [
  { key: 'center', name: '阳城县中小企业发展促进中心', kind: 'center' },
  { key: 'finance', name: '阳城县财政局', kind: 'finance' },
  { key: 'leadership', name: '阳城县创建中小企业高质量发展示范县领导组', kind: 'leadership' },
  { key: 'authority', name: '晋城市中小企业发展促进中心', kind: 'authority' },
  { key: 'operator', name: 'fundflow 运维', kind: 'operator' },
];

/** The standing organisation of each staff role. */
export const ORG_OF_ROLE: Record<Exclude<Role, 'applicant'>, string> = {
  center: 'center',
  supervisor: 'center',
  inspector: 'center',
  evaluator: 'center',
  finance: 'finance',
  leadership: 'leadership',
  authority: 'authority',
  admin: 'operator',
};

export interface DirectoryUser {
  id: string;
  role: Role;
  orgId: string | null;
  email: string;
  token: string;
}

/** Creates (or reuses) the standing organisations. */
export async function ensureStandardOrganisations(db: Database): Promise<Record<string, OrgRow>> {
  const orgs: Record<string, OrgRow> = {};
  for (const org of STANDARD_ORGANISATIONS) {
    orgs[org.key] = (await findOrganisationByName(db, org.name)) ?? (await addOrganisation(db, org));
  }
  return orgs;
}

/** Adds one user of a staff role to its standing organisation and issues a token. */
export async function addStaffUser(
  db: Database,
  orgs: Record<string, OrgRow>,
  role: Exclude<Role, 'applicant'>,
  email: string,
  name: string,
  locale: 'zh-CN' | 'en' = 'zh-CN',
): Promise<DirectoryUser> {
  const orgId = orgs[ORG_OF_ROLE[role]]!.id;
  const user = await addUser(db, { email, name, role, orgId, locale });
  return { id: user.id, role, orgId, email: user.email, token: await issueApiToken(db, user.id, 'seed') };
}

export async function addApplicantUser(db: Database, orgId: string, email: string, name: string): Promise<DirectoryUser> {
  const user = await addUser(db, { email, name, role: 'applicant', orgId });
  return { id: user.id, role: 'applicant', orgId, email: user.email, token: await issueApiToken(db, user.id, 'seed') };
}
