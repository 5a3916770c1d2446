import type { Database } from './database.ts';

export interface Recipient {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: 'zh-CN' | 'en';
}

/** Active users of the given roles; applicants only of the project's own organisation. */
export async function findRecipients(db: Database, roles: readonly string[], projectOrgId: string): Promise<Recipient[]> {
  return db.query<Recipient>(
    `SELECT id, email, name, role, locale FROM users
      WHERE active AND role = ANY($1::text[]) AND (role <> 'applicant' OR org_id = $2)
      ORDER BY role, email`,
    [roles, projectOrgId],
  );
}
