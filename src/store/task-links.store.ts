import type { Database } from './database.ts';

/** How long what an email link saw is kept (link_visits): long enough to answer "who opened it". */
export const LINK_VISIT_RETENTION_DAYS = 90;
/** At most this many expired visit rows are deleted per insert, so one visit never pays for a backlog alone. */
const PRUNE_BATCH = 200;

/**
 * Records what a link saw and, in the same statement, deletes up to PRUNE_BATCH visits older than
 * the retention. Pruning at insert time keeps the table bounded by traffic without a job.
 * Inputs: the visit; $7 the retention in days. Locks: the deleted rows only (row locks).
 */
export async function recordLinkVisit(
  db: Database,
  visit: { tokenHash: string; method: string; userAgent: string | null; automated: boolean; outcome: string; at: Date },
  retentionDays = LINK_VISIT_RETENTION_DAYS,
): Promise<void> {
  await db.query(
    `WITH pruned AS (
       DELETE FROM link_visits WHERE id IN (
         SELECT id FROM link_visits WHERE at < $6::timestamptz - make_interval(days => $7) ORDER BY at LIMIT ${PRUNE_BATCH})
     )
     INSERT INTO link_visits (token_hash, method, user_agent, automated, outcome, at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [visit.tokenHash, visit.method, visit.userAgent, visit.automated, visit.outcome, visit.at.toISOString(), retentionDays],
    'record-link-visit',
  );
}

/**
 * Spends a link: of two racing POSTs only one gets true. Inside a transaction the row lock it takes
 * makes the second wait for the first's COMMIT (then it sees used_at set) or ROLLBACK (then it spends).
 * Locks: the task_links row of the token.
 */
export async function spendLink(db: Database, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE task_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING token_hash`,
    [tokenHash, now.toISOString()],
  );
  return rows.length === 1;
}

/** Revokes the task's unused links, except `keepTokenHash` when given; returns how many. */
export async function revokeTaskLinks(
  db: Database,
  input: { taskId: string; reason: string; now: Date; keepTokenHash?: string },
): Promise<number> {
  const rows = await db.query(
    `UPDATE task_links SET revoked_at = $2, revoked_reason = $3
      WHERE task_id = $1 AND token_hash IS DISTINCT FROM $4 AND used_at IS NULL AND revoked_at IS NULL RETURNING token_hash`,
    [input.taskId, input.now.toISOString(), input.reason, input.keepTokenHash ?? null],
  );
  return rows.length;
}

export async function countLinkVisits(db: Database, tokenHash?: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM link_visits WHERE $1::text IS NULL OR token_hash = $1`,
    [tokenHash ?? null],
  );
  return rows[0]!.n;
}
