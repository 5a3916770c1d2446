import type { Database } from './database.ts';

/**
 * The county dashboard's aggregates (issue 13), one SQL statement per panel. Money sums are the
 * ledger's own balance rows (fund_balances, fund_category_balances, fund_item_balances), added up
 * across funds; the balance formulas on top of them are src/domain/ledger-model.ts's.
 */

export interface MovementSums {
  committed_fen: number;
  disbursed_fen: number;
  released_fen: number;
  recovered_fen: number;
}

export interface FundTotalsRow extends MovementSums {
  funds: number;
  allocated_fen: number;
}

/** Σ of every fund's balance row (or one fund's). */
export async function sumFundBalances(db: Database, fundId: string | null): Promise<FundTotalsRow> {
  const rows = await db.query<FundTotalsRow>(
    `SELECT count(*)::int AS funds,
            coalesce(sum(allocated_fen), 0)::bigint AS allocated_fen, coalesce(sum(committed_fen), 0)::bigint AS committed_fen,
            coalesce(sum(disbursed_fen), 0)::bigint AS disbursed_fen, coalesce(sum(released_fen), 0)::bigint AS released_fen,
            coalesce(sum(recovered_fen), 0)::bigint AS recovered_fen
       FROM fund_balances WHERE $1::uuid IS NULL OR fund_id = $1::uuid`,
    [fundId],
  );
  return rows[0]!;
}

export interface CeilingSumRow extends MovementSums {
  key: number;
  /** Σ of the funds' ceilings; null when any fund sets none (no limit but the fund itself). */
  ceiling_fen: number | null;
}

const ceilingSum = `CASE WHEN bool_or(ceiling_fen IS NULL) THEN NULL ELSE sum(ceiling_fen)::bigint END AS ceiling_fen`;
const movementSums = `coalesce(sum(committed_fen), 0)::bigint AS committed_fen, coalesce(sum(disbursed_fen), 0)::bigint AS disbursed_fen,
  coalesce(sum(released_fen), 0)::bigint AS released_fen, coalesce(sum(recovered_fen), 0)::bigint AS recovered_fen`;

/** Σ per category across funds (or of one fund). */
export async function sumCategoryBalances(db: Database, fundId: string | null): Promise<CeilingSumRow[]> {
  return db.query<CeilingSumRow>(
    `SELECT category AS key, ${ceilingSum}, ${movementSums}
       FROM fund_category_balances WHERE $1::uuid IS NULL OR fund_id = $1::uuid GROUP BY category ORDER BY category`,
    [fundId],
  );
}

/** Σ per item across funds (or of one fund). */
export async function sumItemBalances(db: Database, fundId: string | null): Promise<CeilingSumRow[]> {
  return db.query<CeilingSumRow>(
    `SELECT item AS key, ${ceilingSum}, ${movementSums}
       FROM fund_item_balances WHERE $1::uuid IS NULL OR fund_id = $1::uuid GROUP BY item ORDER BY item`,
    [fundId],
  );
}

/** How many projects are in each state (the funnel). */
export async function countProjectsByState(db: Database): Promise<{ state: string; count: number }[]> {
  return db.query(`SELECT state, count(*)::int AS count FROM projects GROUP BY state`);
}

export interface OverdueDeadlineRow {
  project_id: string;
  code: string;
  item: number;
  deadline: string;
  due_date: string;
}

export interface OverdueTaskRow {
  project_id: string;
  code: string;
  item: number;
  kind: string;
  role: string;
  due_date: string;
}

/**
 * Overdue deadlines (active schedules due before today) and overdue open tasks: counts per kind
 * and item, and the `limit` most overdue of each. One statement.
 */
export async function overdueWork(db: Database, today: string, limit: number) {
  const rows = await db.query<{ section: string; payload: unknown }>(
    `WITH d AS (
       SELECT s.project_id, p.code, p.item, s.deadline, s.due_date FROM schedules s JOIN projects p ON p.id = s.project_id
        WHERE s.status = 'active' AND s.due_date < $1::date
     ), t AS (
       SELECT t.project_id, p.code, p.item, t.kind, t.role, t.due_date FROM tasks t JOIN projects p ON p.id = t.project_id
        WHERE t.status = 'open' AND t.due_date < $1::date
     )
     SELECT 'deadlineCounts' AS section, coalesce(json_agg(c), '[]') AS payload
       FROM (SELECT deadline AS kind, item, count(*)::int AS count FROM d GROUP BY deadline, item) c
     UNION ALL
     SELECT 'taskCounts', coalesce(json_agg(c), '[]')
       FROM (SELECT kind, item, count(*)::int AS count FROM t GROUP BY kind, item) c
     UNION ALL
     SELECT 'deadlines', coalesce(json_agg(x), '[]')
       FROM (SELECT project_id, code, item, deadline, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM d ORDER BY due_date, code LIMIT $2) x
     UNION ALL
     SELECT 'tasks', coalesce(json_agg(x), '[]')
       FROM (SELECT project_id, code, item, kind, role, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM t ORDER BY due_date, code LIMIT $2) x`,
    [today, limit],
  );
  const of = <T>(section: string) => (rows.find((row) => row.section === section)?.payload ?? []) as T[];
  return {
    deadlineCounts: of<{ kind: string; item: number; count: number }>('deadlineCounts'),
    taskCounts: of<{ kind: string; item: number; count: number }>('taskCounts'),
    deadlines: of<OverdueDeadlineRow>('deadlines'),
    tasks: of<OverdueTaskRow>('tasks'),
  };
}

/** The business date of the latest run of a periodic job, or null when it never ran. */
export async function latestPeriodicRun(db: Database, job: string): Promise<string | null> {
  const rows = await db.query<{ period: string }>(`SELECT period FROM periodic_runs WHERE job = $1 ORDER BY period DESC LIMIT 1`, [job]);
  return rows[0]?.period ?? null;
}

export interface LightRow {
  project_id: string;
  code: string;
  title: string;
  item: number;
  /** The worst deviation alert the run raised for the project: 'red', 'yellow', or null (none: green). */
  light: 'red' | 'yellow' | null;
}

/**
 * The 双监控 light of every project in `state` as one daily-check run left it: the worst deviation
 * alert raised in [from, to) (the run's business day), none meaning green.
 */
export async function projectLights(db: Database, state: string, from: string, to: string): Promise<LightRow[]> {
  return db.query<LightRow>(
    `SELECT p.id AS project_id, p.code, p.title, p.item,
            (SELECT CASE WHEN bool_or(a.severity = 'red') THEN 'red' WHEN bool_or(a.severity = 'yellow') THEN 'yellow' END
               FROM alerts a WHERE a.project_id = p.id AND a.kind LIKE 'deviation.%' AND a.created_at >= $2 AND a.created_at < $3) AS light
       FROM projects p WHERE p.state = $1 ORDER BY p.code`,
    [state, from, to],
  );
}

/** Projects created, and events of the given types, in [from, to); counts per item and type. */
export async function monthActivity(db: Database, from: string, to: string, eventTypes: readonly string[]) {
  const rows = await db.query<{ section: string; payload: unknown }>(
    `SELECT 'proposals' AS section, coalesce(json_agg(c), '[]') AS payload
       FROM (SELECT item, count(*)::int AS count FROM projects WHERE created_at >= $1 AND created_at < $2 GROUP BY item) c
     UNION ALL
     SELECT 'decisions', coalesce(json_agg(c), '[]')
       FROM (SELECT e.event_type AS type, e.to_state, p.item, count(*)::int AS count
               FROM project_events e JOIN projects p ON p.id = e.project_id
              WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND e.event_type = ANY($3::text[])
              GROUP BY e.event_type, e.to_state, p.item) c`,
    [from, to, eventTypes],
  );
  const of = <T>(section: string) => (rows.find((row) => row.section === section)?.payload ?? []) as T[];
  return {
    proposals: of<{ item: number; count: number }>('proposals'),
    decisions: of<{ type: string; to_state: string; item: number; count: number }>('decisions'),
  };
}
