import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database } from '../../store/database.ts';
import { listPlannedReminders, plannedReminderIds } from '../../store/schedules.store.ts';
import { reminderJob } from '../../jobs/reminder.job.ts';

export interface ReconcileReport {
  planned: number;
  recreated: number;
  promoted: number;
  removedStale: number;
  /** Of the recreated: jobs that had finished (failed or completed) while their reminder was still planned. */
  replacedFinished: number;
}

/**
 * Makes Redis agree with the database: every planned reminder has a pending job (recreated after a
 * lost Redis or a FLUSHALL, or in place of a finished one), a due one is promoted to run now, and a
 * delayed job whose reminder is no longer planned is removed. The database is the truth; this can
 * run at any time, any number of times.
 */
export async function reconcileReminders(db: Database, queue: Queue, redis: Redis, now: Date, batchSize = 5_000): Promise<ReconcileReport> {
  const report: ReconcileReport = { planned: 0, recreated: 0, promoted: 0, removedStale: 0, replacedFinished: 0 };
  const jobKey = (id: string) => `${queue.opts.prefix}:${queue.name}:${id}`;
  let after = '';
  for (;;) {
    const batch = await listPlannedReminders(db, after, batchSize);
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    report.planned += batch.length;
    const pipeline = redis.pipeline();
    for (const reminder of batch) {
      pipeline.exists(jobKey(reminder.id));
      pipeline.zscore(queue.keys.failed!, reminder.id);
      pipeline.zscore(queue.keys.completed!, reminder.id);
    }
    const answers = (await pipeline.exec())!;
    const exists = batch.map((_, index) => !answers[3 * index]![0] && answers[3 * index]![1] === 1);
    // A job that is finished while its reminder is still planned (it failed its last attempt on
    // something other than SMTP, e.g. the database, or stalled too often) would keep its id, and so
    // its reminder, forever: it is replaced by a new job.
    const finished = batch.map((_, index) => exists[index] && (answers[3 * index + 1]![1] !== null || answers[3 * index + 2]![1] !== null));
    const replaced = batch.filter((_, index) => finished[index]);
    await Promise.all(replaced.map((reminder) => queue.remove(reminder.id).catch(() => 0)));
    report.replacedFinished += replaced.length;
    const missing = batch.filter((_, index) => !exists[index] || finished[index]);
    if (missing.length > 0) {
      await queue.addBulk(missing.map((reminder) => reminderJob({ id: reminder.id, fireAt: reminder.fire_at }, now)));
      report.recreated += missing.length;
    }
    const dueAndQueued = batch.filter((reminder, index) => exists[index] && new Date(reminder.fire_at).getTime() <= now.getTime());
    for (const reminder of dueAndQueued) {
      const job = await Job.fromId(queue, reminder.id);
      if (job && (await job.isDelayed())) {
        await job.promote().catch(() => undefined);
        report.promoted += 1;
      }
    }
  }
  for (let start = 0; ; start += batchSize) {
    const delayed = await queue.getDelayed(start, start + batchSize - 1);
    if (delayed.length === 0) break;
    const ids = delayed.map((job) => job.id!).filter(Boolean);
    const stillPlanned = await plannedReminderIds(db, ids);
    const stale = delayed.filter((job) => job.id && !stillPlanned.has(job.id));
    await Promise.all(stale.map((job) => job.remove().catch(() => undefined)));
    report.removedStale += stale.length;
    if (stale.length > 0) start -= stale.length;
  }
  return report;
}
