import { randomUUID } from 'node:crypto';
import type { PlannedReminder } from '../domain/reminder-plan.ts';
import type { Database } from './database.ts';
import type { ScheduleChange } from './schedules.store.ts';

/** One deadline to plan (or move): what planDeadline takes, without the clock. */
export interface DeadlineToPlan {
  projectId: string;
  /** The project event that asks for it; an older one than the deadline's last change is ignored. */
  seq: number;
  deadline: string;
  dueDate: string;
  /** Id of the schedule row when it is new (a fresh uuid when absent); an existing row keeps its own. */
  scheduleId?: string;
}

/**
 * planDeadline (schedules.store.ts) for many deadlines at once, with the same rules, in ONE
 * transaction of two statements instead of five round trips per deadline:
 *   1. upsert every schedule row (a change caused by an older event than the one that last touched
 *      the deadline is ignored; a newer one bumps the generation);
 *   2. cancel the planned reminders of older generations of the schedules that changed, insert the
 *      new sequences (a reminder already more than a day past when planned is recorded 'skipped'),
 *      and return what is planned for the current generations.
 * The caller puts the returned change on the queue (enqueueReminders): the database stays the truth,
 * the reconciler rebuilds any job that did not make it. Several entries for the same project and
 * deadline in one call: the one with the highest seq wins (the others would be ignored or
 * superseded at once when planned one by one).
 */
export async function planDeadlinesBulk(
  db: Database,
  deadlines: readonly DeadlineToPlan[],
  now: Date,
  plan: (deadline: DeadlineToPlan, scheduleId: string, generation: number) => PlannedReminder[],
): Promise<ScheduleChange> {
  const latest = new Map<string, DeadlineToPlan>();
  for (const entry of deadlines) {
    const key = `${entry.projectId}|${entry.deadline}`;
    const seen = latest.get(key);
    if (!seen || entry.seq > seen.seq) latest.set(key, entry);
  }
  if (latest.size === 0) return { planned: [], cancelled: [] };
  const unique = [...latest.values()];
  const nowIso = now.toISOString();

  return db.transaction(async (tx) => {
    const schedules = await tx.query<{ id: string; project_id: string; deadline: string; generation: number }>(
      `INSERT INTO schedules (id, project_id, deadline, due_date, status, generation, source_seq)
       SELECT u.id, u.project_id, u.deadline, u.due_date, 'active', 1, u.seq
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::int[]) AS u(id, project_id, deadline, due_date, seq)
       ON CONFLICT (project_id, deadline) DO UPDATE
         SET due_date = EXCLUDED.due_date, status = 'active', generation = schedules.generation + 1,
             source_seq = EXCLUDED.source_seq, updated_at = now()
       WHERE schedules.source_seq < EXCLUDED.source_seq
       RETURNING id, project_id, deadline, generation`,
      [
        unique.map((entry) => entry.scheduleId ?? randomUUID()),
        unique.map((entry) => entry.projectId),
        unique.map((entry) => entry.deadline),
        unique.map((entry) => entry.dueDate),
        unique.map((entry) => entry.seq),
      ],
    );
    if (schedules.length === 0) return { planned: [], cancelled: [] };

    const columns = {
      id: [] as string[],
      scheduleId: [] as string[],
      projectId: [] as string[],
      generation: [] as number[],
      offsetDays: [] as number[],
      fireAt: [] as string[],
      escalate: [] as boolean[],
      audience: [] as string[],
    };
    for (const schedule of schedules) {
      const entry = latest.get(`${schedule.project_id}|${schedule.deadline}`)!;
      for (const reminder of plan(entry, schedule.id, schedule.generation)) {
        columns.id.push(reminder.id);
        columns.scheduleId.push(schedule.id);
        columns.projectId.push(schedule.project_id);
        columns.generation.push(schedule.generation);
        columns.offsetDays.push(reminder.offsetDays);
        columns.fireAt.push(reminder.fireAt);
        columns.escalate.push(reminder.escalate);
        // Role names carry no comma; one text per row, split back into text[] in SQL.
        columns.audience.push(reminder.audience.join(','));
      }
    }
    const rows = await tx.query<{ kind: 'planned' | 'cancelled'; id: string; fire_at: string | null }>(
      `WITH changed AS (
         SELECT * FROM unnest($1::uuid[], $2::int[]) AS s(id, generation)
       ), cancelled AS (
         UPDATE reminders r SET status = 'cancelled', status_reason = 'rescheduled', settled_at = $11::timestamptz
           FROM changed s
          WHERE r.schedule_id = s.id AND r.status = 'planned' AND r.generation < s.generation
         RETURNING r.id
       ), inserted AS (
         INSERT INTO reminders (id, schedule_id, project_id, generation, offset_days, fire_at, escalate, audience, status, status_reason, settled_at)
         SELECT n.id, n.schedule_id, n.project_id, n.generation, n.offset_days, n.fire_at, n.escalate, string_to_array(n.audience, ','),
                CASE WHEN n.fire_at < $11::timestamptz - interval '1 day' THEN 'skipped' ELSE 'planned' END,
                CASE WHEN n.fire_at < $11::timestamptz - interval '1 day' THEN 'already past when planned' END,
                CASE WHEN n.fire_at < $11::timestamptz - interval '1 day' THEN $11::timestamptz END
           FROM unnest($3::text[], $4::uuid[], $5::uuid[], $6::int[], $7::int[], $8::timestamptz[], $9::boolean[], $10::text[])
                AS n(id, schedule_id, project_id, generation, offset_days, fire_at, escalate, audience)
         ON CONFLICT (id) DO NOTHING
         RETURNING id, fire_at, status
       ), existing AS (
         -- Reminders of the current generations that were already there (planning the same thing twice).
         SELECT r.id, r.fire_at FROM reminders r JOIN changed s ON r.schedule_id = s.id AND r.generation = s.generation
          WHERE r.status = 'planned'
       )
       SELECT 'cancelled' AS kind, id, NULL AS fire_at FROM cancelled
       UNION ALL SELECT 'planned', id, to_char(fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM inserted WHERE status = 'planned'
       UNION ALL SELECT 'planned', id, to_char(fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM existing`,
      [
        schedules.map((schedule) => schedule.id),
        schedules.map((schedule) => schedule.generation),
        columns.id,
        columns.scheduleId,
        columns.projectId,
        columns.generation,
        columns.offsetDays,
        columns.fireAt,
        columns.escalate,
        columns.audience,
        nowIso,
      ],
    );
    const change: ScheduleChange = { planned: [], cancelled: [] };
    for (const row of rows) {
      if (row.kind === 'cancelled') change.cancelled.push(row.id);
      else change.planned.push({ id: row.id, fireAt: row.fire_at! });
    }
    return change;
  });
}
