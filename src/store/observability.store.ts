import type { Database } from './database.ts';

/** Aggregates /metrics shows. Each is one read-only statement; none takes row locks. */
export async function countRemindersByStatus(db: Database): Promise<{ status: string; n: number }[]> {
  return db.query<{ status: string; n: number }>('SELECT status, count(*)::int8 AS n FROM reminders GROUP BY status');
}

export async function countDeliveriesByStatus(db: Database): Promise<{ status: string; n: number }[]> {
  return db.query<{ status: string; n: number }>('SELECT status, count(*)::int8 AS n FROM deliveries GROUP BY status');
}

/** Reminder lag (sent minus due) over the last day, in seconds: p50 and p99. */
export async function reminderLagSeconds(db: Database): Promise<{ p50: number; p99: number }> {
  const rows = await db.query<{ p50: number | null; p99: number | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag_ms) / 1000.0 AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY lag_ms) / 1000.0 AS p99
       FROM deliveries WHERE reminder_id IS NOT NULL AND sent_at > now() - interval '1 day'`,
  );
  return { p50: Number(rows[0]?.p50 ?? 0), p99: Number(rows[0]?.p99 ?? 0) };
}

/** Readiness: the database answers a statement. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.query('SELECT 1');
}

export interface LocalMailRow {
  id: number;
  message_id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: Date;
}

/** The newest mails kept locally (no SMTP_URL), newest first. */
export async function listLocalMail(db: Database, limit = 200): Promise<LocalMailRow[]> {
  return db.query<LocalMailRow>('SELECT id, message_id, recipient, subject, text_body, html_body, created_at FROM local_mail ORDER BY id DESC LIMIT $1', [limit]);
}

/** Development mailer: keeps a mail in local_mail instead of sending it; a retried message is kept once. */
export async function saveLocalMail(db: Database, mail: { messageId: string; recipient: string; subject: string; textBody: string; htmlBody: string }): Promise<void> {
  await db.query(
    `INSERT INTO local_mail (message_id, recipient, subject, text_body, html_body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (message_id) DO NOTHING`,
    [mail.messageId, mail.recipient, mail.subject, mail.textBody, mail.htmlBody],
  );
}
