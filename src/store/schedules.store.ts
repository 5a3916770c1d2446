import type { Recipient } from './recipients.store.ts';
import type { Database } from './database.ts';

export interface ScheduleChange {
  /** Reminders to put on the queue. */
  planned: { id: string; fireAt: string }[];
  /** Reminder ids whose jobs are no longer wanted. */
  cancelled: string[];
}

const NO_CHANGE: ScheduleChange = { planned: [], cancelled: [] };

/** Cancels deadlines ('*' for all) and their planned reminders, unless a later event planned them again. */
export async function cancelDeadlines(
  db: Database,
  input: { projectId: string; seq: number; deadlines: string[]; reason: string; now: Date },
): Promise<ScheduleChange> {
  return db.transaction(async (tx) => {
    const schedules = await tx.query<{ id: string }>(
      `UPDATE schedules SET status = 'cancelled', source_seq = $3, updated_at = now()
        WHERE project_id = $1 AND (deadline = ANY($2::text[]) OR '*' = ANY($2::text[])) AND source_seq < $3 AND status = 'active'
        RETURNING id`,
      [input.projectId, input.deadlines, input.seq],
    );
    if (schedules.length === 0) return NO_CHANGE;
    const cancelled = await tx.query<{ id: string }>(
      `UPDATE reminders SET status = 'cancelled', status_reason = $2, settled_at = $3
        WHERE schedule_id = ANY($1::uuid[]) AND status = 'planned' RETURNING id`,
      [schedules.map((row) => row.id), input.reason, input.now.toISOString()],
    );
    return { planned: [], cancelled: cancelled.map((row) => row.id) };
  });
}

export interface ReminderContext {
  id: string;
  status: string;
  fire_at: Date;
  escalate: boolean;
  audience: string[];
  generation: number;
  offset_days: number;
  schedule_status: string;
  schedule_generation: number;
  deadline: string;
  due_date: string;
  project_id: string;
  project_code: string;
  project_title: string;
  project_state: string;
  /** The project's current XState tags (projects.tags). */
  project_tags: string[];
  org_id: string;
  item: number;
  recipients: Recipient[];
}

export interface DueReminder extends ReminderContext {
  /** Delivery keys claimed by this read and not sent before: what is to be sent now. */
  to_send: string[];
  /** Deliveries claimed by this read (also those sent before). */
  claimed: number;
}

/**
 * Reads reminders with their deadlines, their projects and the active users they go to (applicants
 * only of the project's organisation), and claims, for each reminder still to be sent at its `now`
 * (planned, due, its deadline active and of this generation, the project's state carrying the
 * deadline's tag in `relevantStates`), one delivery per recipient under the key
 * `<reminder id>.<user id>`. One statement for any number of reminders (the reminders worker
 * coalesces concurrent jobs into one call); a delivery then costs this, the mail, and a record. A
 * claimed key stays 'sending' until recorded, so a crash between mail and record leaves its trace.
 * Answers in the order asked; undefined for a reminder that does not exist.
 */
export async function takeDueReminders(
  db: Database,
  requests: readonly { reminderId: string; now: Date }[],
  /** Deadline → the state tag it needs (a deadline not named, e.g. a task's, always matters). */
  relevantStates: Readonly<Record<string, string>>,
): Promise<(DueReminder | undefined)[]> {
  const rows = await db.query<DueReminder>(
    // Reminders matched with = ANY and their `now` picked by position (see recordDeliveries).
    `WITH reminder AS (
       SELECT r.id, r.status, r.fire_at, r.escalate, r.audience, r.generation, r.offset_days, s.status AS schedule_status,
              s.generation AS schedule_generation, s.deadline, to_char(s.due_date, 'YYYY-MM-DD') AS due_date, p.id AS project_id,
              p.code AS project_code, p.title AS project_title, p.state AS project_state, p.tags AS project_tags, p.org_id, p.item,
              ($2::timestamptz[])[array_position($1::text[], r.id)] AS taken_at
         FROM reminders r JOIN schedules s ON s.id = r.schedule_id JOIN projects p ON p.id = r.project_id
        WHERE r.id = ANY($1::text[])
     ), recipients AS (
       SELECT r.id AS reminder_id, u.id, u.email, u.name, u.role, u.locale
         FROM reminder r JOIN users u ON u.active AND u.role = ANY(r.audience) AND (u.role <> 'applicant' OR u.org_id = r.org_id)
     ), claimed AS (
       INSERT INTO deliveries (delivery_key, reminder_id, user_id, email, message_id, status, attempts, claimed_at)
       SELECT r.id || '.' || u.id, r.id, u.id, u.email, '<' || r.id || '.' || u.id || '@fundflow>', 'sending', 1, r.taken_at
         FROM reminder r JOIN recipients u ON u.reminder_id = r.id
        WHERE r.status = 'planned' AND r.fire_at <= r.taken_at AND r.schedule_status = 'active' AND r.generation = r.schedule_generation
          AND COALESCE(($3::jsonb ->> r.deadline) = ANY(r.project_tags), true)
       ON CONFLICT (delivery_key) DO UPDATE SET attempts = deliveries.attempts + 1,
          status = CASE WHEN deliveries.status = 'sent' THEN 'sent' ELSE 'sending' END,
          claimed_at = CASE WHEN deliveries.status = 'sent' THEN deliveries.claimed_at ELSE EXCLUDED.claimed_at END
       RETURNING delivery_key, status, reminder_id
     )
     SELECT r.id, r.status, r.fire_at, r.escalate, r.audience, r.generation, r.offset_days, r.schedule_status, r.schedule_generation,
            r.deadline, r.due_date, r.project_id, r.project_code, r.project_title, r.project_state, r.project_tags, r.org_id, r.item,
            COALESCE((SELECT json_agg(json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role, 'locale', u.locale) ORDER BY u.role, u.email)
                        FROM recipients u WHERE u.reminder_id = r.id), '[]') AS recipients,
            ARRAY(SELECT c.delivery_key FROM claimed c WHERE c.reminder_id = r.id AND c.status <> 'sent') AS to_send,
            (SELECT count(*) FROM claimed c WHERE c.reminder_id = r.id)::int AS claimed
       FROM reminder r`,
    [requests.map((request) => request.reminderId), requests.map((request) => request.now.toISOString()), JSON.stringify(relevantStates)],
    'reminders.take',
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return requests.map((request) => byId.get(request.reminderId));
}

export async function settleReminder(db: Database, reminderId: string, status: 'sent' | 'skipped' | 'failed', reason: string | null, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE reminders SET status = $2, status_reason = $3, settled_at = $4, attempts = attempts + 1
      WHERE id = $1 AND status = 'planned' RETURNING id`,
    [reminderId, status, reason, now.toISOString()],
    'reminders.settle',
  );
  return rows.length === 1;
}

export interface ScheduleView {
  deadline: string;
  due_date: string;
  status: string;
  generation: number;
  reminders: { id: string; fire_at: Date; offset_days: number; escalate: boolean; audience: string[]; status: string; status_reason: string | null; generation: number }[];
}

export async function listProjectSchedule(db: Database, projectId: string): Promise<ScheduleView[]> {
  const schedules = await db.query<{ id: string; deadline: string; due_date: string; status: string; generation: number }>(
    `SELECT id, deadline, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, generation FROM schedules WHERE project_id = $1 ORDER BY due_date`,
    [projectId],
  );
  const reminders = await db.query<ScheduleView['reminders'][number] & { schedule_id: string }>(
    `SELECT schedule_id, id, fire_at, offset_days, escalate, audience, status, status_reason, generation
       FROM reminders WHERE schedule_id = ANY($1::uuid[]) ORDER BY fire_at, id`,
    [schedules.map((schedule) => schedule.id)],
  );
  return schedules.map((schedule) => ({
    deadline: schedule.deadline,
    due_date: schedule.due_date,
    status: schedule.status,
    generation: schedule.generation,
    reminders: reminders.filter((reminder) => reminder.schedule_id === schedule.id).map(({ schedule_id: _s, ...rest }) => rest),
  }));
}

/** Planned reminders in id order from `afterId`, for the reconciler. */
export async function listPlannedReminders(db: Database, afterId: string, limit: number): Promise<{ id: string; fire_at: Date }[]> {
  return db.query(`SELECT id, fire_at FROM reminders WHERE status = 'planned' AND id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
}

export async function plannedReminderIds(db: Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.query<{ id: string }>(`SELECT id FROM reminders WHERE status = 'planned' AND id = ANY($1::text[])`, [ids]);
  return new Set(rows.map((row) => row.id));
}
