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

/** What the public may narrow the disclosure to: one item, one year (of the project code), words. */
export interface DisclosureFilter {
  item?: number;
  year?: number;
  /** Matched, as plain text (no wildcards), against the code, the title and the unit's name. */
  search?: string;
}

export interface DisclosureTotals {
  count: number;
  committed_fen: number;
  disbursed_fen: number;
}

/** `%` and `_` typed by a visitor are searched for literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * The WHERE clause shared by the page and its totals, with its parameters from $firstParam on.
 * The year is the one in the project code (YC-2024-05-001), which the public sees.
 */
function whereOf(filter: DisclosureFilter, firstParam: number): { sql: string; params: unknown[] } {
  const clauses = [`p.state NOT LIKE 'proposed.%'`, `p.state NOT IN ('rejected', 'withdrawn')`];
  const params: unknown[] = [];
  const next = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (filter.item !== undefined) clauses.push(`p.item = ${next(filter.item)}`);
  if (filter.year !== undefined) clauses.push(`substring(p.code from '-([0-9]{4})-[0-9]+-[0-9]+$') = ${next(String(filter.year))}`);
  if (filter.search) {
    const pattern = next(likePattern(filter.search));
    clauses.push(`(p.code ILIKE ${pattern} OR p.title ILIKE ${pattern} OR o.name ILIKE ${pattern})`);
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * Projects the public may see (公开透明): approved or further, never proposals, rejections or
 * withdrawals, and no personal data. The grade is shown once the Finance Bureau accepted the
 * evaluation; a re-evaluation's grade, being the latest, prevails. Which state the public reads is
 * decided by the use case (supervision states are not disclosed as they happen).
 */
export async function listDisclosedProjects(db: Database, limit: number, offset: number, filter: DisclosureFilter = {}): Promise<DisclosureRow[]> {
  const where = whereOf(filter, 3);
  return db.query<DisclosureRow>(
    `SELECT p.code, p.title, p.item, o.name AS org_name, p.state, b.committed_fen, b.disbursed_fen,
            p.accepted_grade AS grade,
            p.updated_at
       FROM projects p
       JOIN organisations o ON o.id = p.org_id
       LEFT JOIN project_balances b ON b.project_id = p.id
      WHERE ${where.sql}
      ORDER BY p.code LIMIT $1 OFFSET $2`,
    [limit, offset, ...where.params],
  );
}

/** How many projects a filter discloses and their approved and disbursed sums (the page's 合计). */
export async function totalDisclosedProjects(db: Database, filter: DisclosureFilter = {}): Promise<DisclosureTotals> {
  const where = whereOf(filter, 1);
  const rows = await db.query<{ count: string | number; committed_fen: string | number | null; disbursed_fen: string | number | null }>(
    `SELECT count(*) AS count, sum(b.committed_fen) AS committed_fen, sum(b.disbursed_fen) AS disbursed_fen
       FROM projects p
       JOIN organisations o ON o.id = p.org_id
       LEFT JOIN project_balances b ON b.project_id = p.id
      WHERE ${where.sql}`,
    where.params,
  );
  const row = rows[0]!;
  return { count: Number(row.count), committed_fen: Number(row.committed_fen ?? 0), disbursed_fen: Number(row.disbursed_fen ?? 0) };
}
