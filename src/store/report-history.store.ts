import type { Database } from './database.ts';

export interface MonthlyReportDeliveryRow {
  delivery_key: string;
  user_id: string;
  name: string | null;
  email: string;
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  sent_at: Date | null;
  error: string | null;
  created_at: Date;
}

/**
 * The emails of the monthly reports (delivery keys `monthly-report.<YYYY-MM>.<user id>`, written by
 * src/usecases/reports/send-monthly-reports.ts), newest first.
 */
export async function listMonthlyReportDeliveries(db: Database, limit: number): Promise<MonthlyReportDeliveryRow[]> {
  return db.query<MonthlyReportDeliveryRow>(
    `SELECT d.delivery_key, d.user_id, u.name, d.email, d.status, d.attempts, d.sent_at, d.error, d.created_at
       FROM deliveries d LEFT JOIN users u ON u.id = d.user_id
      WHERE d.delivery_key LIKE 'monthly-report.%' ORDER BY d.created_at DESC LIMIT $1`,
    [limit],
  );
}

/** When each month's reports were run (periodic_runs of the monthly-reports job), newest first. */
export async function listPeriodicRuns(db: Database, job: string, limit: number): Promise<{ period: string; applied_at: Date }[]> {
  return db.query(`SELECT period, applied_at FROM periodic_runs WHERE job = $1 ORDER BY period DESC LIMIT $2`, [job, limit]);
}
