import type { Queue } from 'bullmq';
import type { ScheduleChange } from '../src/store/schedules.store.ts';

/** Adds reminder jobs (id = reminder id, so adding twice is one job) and drops the cancelled ones. */
export async function enqueueReminders(queue: Queue, change: ScheduleChange, now: Date): Promise<void> {
  if (change.planned.length > 0) {
    await queue.addBulk(
      change.planned.map((reminder) => ({
        name: 'reminder',
        data: { reminderId: reminder.id },
        opts: { jobId: reminder.id, delay: Math.max(0, Date.parse(reminder.fireAt) - now.getTime()) },
      })),
    );
  }
  // Best effort: a job left behind finds its reminder cancelled and records nothing.
  await Promise.all(change.cancelled.map((id) => queue.remove(id).catch(() => 0)));
}
