import { z } from 'zod';
import { defineJob } from './job-contract.ts';

/** A reminder id as planReminders makes it: the job id, and the only thing a reminder job carries. */
export const REMINDER_ID = /^rem-[0-9a-f-]+-g\d+-d[mp]\d+$/;

/** One planned reminder; its job id is the reminder id and its data is empty (the worker re-reads the database). */
export const REMINDER_JOB = defineJob({ name: 'reminder', version: 1, queue: 'reminders', schema: z.object({}) });

/**
 * One reminder's job. Its id is the reminder id (adding twice is one job) and its data is empty:
 * the worker re-reads everything from the database, and each byte here is kept in Redis for every
 * planned reminder (retention is set once on the Worker, not copied into each job).
 */
export function reminderJob(reminder: { id: string; fireAt: string | Date }, now: Date) {
  const fireAt = typeof reminder.fireAt === 'string' ? Date.parse(reminder.fireAt) : reminder.fireAt.getTime();
  return { name: REMINDER_JOB.name, data: {}, opts: { jobId: reminder.id, delay: Math.max(0, fireAt - now.getTime()) } };
}
