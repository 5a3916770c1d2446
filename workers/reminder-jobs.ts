import type { Queue } from 'bullmq';
import { reminderJob } from '../src/jobs/reminder.job.ts';
import type { ReminderTimers, ScheduleChange } from '../src/usecases/effects/effect-deps.ts';

export { REMINDER_ID, reminderJob } from '../src/jobs/reminder.job.ts';

/** Adds reminder jobs and drops the cancelled ones. */
export async function enqueueReminders(queue: Queue, change: ScheduleChange, now: Date): Promise<void> {
  if (change.planned.length > 0) await queue.addBulk(change.planned.map((reminder) => reminderJob(reminder, now)));
  // Best effort: a job left behind finds its reminder cancelled and records nothing.
  await Promise.all(change.cancelled.map((id) => queue.remove(id).catch(() => 0)));
}

/** The use cases' reminder timers, on the reminders queue. */
export function queueTimers(queue: Queue): ReminderTimers {
  return { schedule: (change, now) => enqueueReminders(queue, change, now) };
}
