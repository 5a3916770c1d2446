import type { Database } from './database.ts';

/** Records that a periodic job ran for its period (e.g. daily-checks, 2024-10-08); true the first time. */
export async function recordPeriodicRun(db: Database, job: string, period: string, at: Date): Promise<boolean> {
  const rows = await db.query(`INSERT INTO periodic_runs (job, period, applied_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING job`, [job, period, at.toISOString()]);
  return rows.length === 1;
}

/** Whether the job ran for `period`, and whether it ever ran on this database. */
export async function periodicRunStatus(db: Database, job: string, period: string): Promise<{ ran: boolean; everRan: boolean }> {
  const rows = await db.query<{ ran: boolean; ever_ran: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM periodic_runs WHERE job = $1 AND period = $2) AS ran, EXISTS (SELECT 1 FROM periodic_runs WHERE job = $1) AS ever_ran`,
    [job, period],
  );
  return { ran: rows[0]!.ran, everRan: rows[0]!.ever_ran };
}
