import type { Database } from './database.ts';

export interface DisclosureRow {
  code: string;
  title: string;
  item: number;
  org_name: string;
  state: string;
  committed_fen: number | null;
  disbursed_fen: number | null;
  grade: string | null;
  updated_at: Date;
}

/**
 * Projects the public may see (公开透明): approved or further, never proposals, rejections or
 * withdrawals, and no personal data. The grade is shown once the Finance Bureau accepted the
 * evaluation; a re-evaluation's grade, being the latest, prevails.
 */
export async function listDisclosedProjects(db: Database, limit: number, offset: number): Promise<DisclosureRow[]> {
  return db.query<DisclosureRow>(
    `SELECT p.code, p.title, p.item, o.name AS org_name, p.state, b.committed_fen, b.disbursed_fen,
            p.accepted_grade AS grade,
            p.updated_at
       FROM projects p
       JOIN organisations o ON o.id = p.org_id
       LEFT JOIN project_balances b ON b.project_id = p.id
      WHERE p.state NOT LIKE 'proposed.%' AND p.state NOT IN ('rejected', 'withdrawn')
      ORDER BY p.code LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
}
