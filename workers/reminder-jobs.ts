import type { Queue } from 'bullmq';
import type { ScheduleChange } from '../src/store/schedules.store.ts';

/** A reminder id as planReminders makes it: the job id, and the only thing a reminder job carries. */
export const REMINDER_ID = /^rem-[0-9a-f-]+-g\d+-d[mp]\d+$/;

/**
 * One reminder's job. Its id is the reminder id (adding twice is one job) and its data is empty:
 * the worker re-reads everything from the database, and each byte here is kept in Redis for every
 * planned reminder (retention is set once on the Worker, not copied into each job).
 */
export function reminderJob(reminder: { id: string; fireAt: string | Date }, now: Date) {
  const fireAt = typeof reminder.fireAt === 'string' ? Date.parse(reminder.fireAt) : reminder.fireAt.getTime();
  return { name: 'reminder', data: {}, opts: { jobId: reminder.id, delay: Math.max(0, fireAt - now.getTime()) } };
}

/** Adds reminder jobs and drops the cancelled ones. */
export async function enqueueReminders(queue: Queue, change: ScheduleChange, now: Date): Promise<void> {
  if (change.planned.length > 0) await queue.addBulk(change.planned.map((reminder) => reminderJob(reminder, now)));
  // Best effort: a job left behind finds its reminder cancelled and records nothing.
  await Promise.all(change.cancelled.map((id) => queue.remove(id).catch(() => 0)));
}
