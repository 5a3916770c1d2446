import type { Queue } from 'bullmq';
import { DEFAULT_REMINDER_POLICIES, type Deadline } from '../../config/reminder-policies.ts';
import { addDays } from '../../src/domain/business-date.ts';
import { planReminders } from '../../src/domain/reminder-plan.ts';
import type { Database } from '../../src/store/database.ts';
import { planDeadlines } from '../../src/store/schedule-planning.store.ts';

/**
 * The deadlines whose reminders a project in deviated-corrected.correcting still wants (so the
 * worker sends rather than skips them), each with exactly one recipient when escalation is off:
 * the inspector for inspections, the project's applicant for the report and the correction.
 */
export const LOAD_DEADLINES: readonly Deadline[] = ['inspection.regular', 'inspection.unannounced', 'progress.report', 'correction'];

let seq = 1_000;

export interface PlannedLoad {
  /** Every planned reminder id, sorted. */
  ids: string[];
  /** The latest fire time: a clock at or after it finds every one of them due. */
  lastFireAt: Date;
  firstFireAt: Date;
}

/**
 * Plans `perDeadline` reminders for each project and each of LOAD_DEADLINES through the real
 * planDeadlines and planReminders, with a policy (data, as in config) of daily reminders around
 * `dueDate`: before it, on the day and overdue, none escalating (one recipient each).
 */
export async function planLoad(
  db: Database,
  projectIds: string[],
  options: { perDeadline: number; dueDate: string; planNow: Date },
): Promise<PlannedLoad> {
  const before = Math.floor((options.perDeadline - 1) / 2);
  const after = options.perDeadline - 1 - before;
  const policyOf = (deadline: (typeof LOAD_DEADLINES)[number]) => ({
    ...DEFAULT_REMINDER_POLICIES.policies[deadline],
    beforeDays: Array.from({ length: before }, (_, i) => i + 1),
    onDay: true,
    overdueEveryDays: 1,
    overdueCount: after,
    escalateFromOverdue: after + 1,
  });
  const deadlines = projectIds.flatMap((projectId) => LOAD_DEADLINES.map((deadline) => ({ projectId, seq: (seq += 1), deadline, dueDate: options.dueDate })));
  const change = await planDeadlines(db, deadlines, options.planNow, (entry, scheduleId, generation) =>
    planReminders(scheduleId, generation, options.dueDate, policyOf(entry.deadline as (typeof LOAD_DEADLINES)[number]), DEFAULT_REMINDER_POLICIES.sendHour),
  );
  const ids = change.planned.map((reminder) => reminder.id);
  const fires = change.planned.map((reminder) => Date.parse(reminder.fireAt));
  if (ids.length !== projectIds.length * LOAD_DEADLINES.length * options.perDeadline) {
    throw new Error(`planned ${ids.length} reminders, expected ${projectIds.length * LOAD_DEADLINES.length * options.perDeadline}: is the plan time too late?`);
  }
  return { ids: ids.sort(), firstFireAt: new Date(Math.min(...fires)), lastFireAt: new Date(Math.max(...fires)) };
}

/** A due date `days` business days after the business date of `now` (UTC+8). */
export function dueDateAfter(now: Date, days: number): string {
  return addDays(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10), days);
}

/** Every job id in the queue's waiting, delayed, active and prioritized lists. */
export async function pendingJobIds(queue: Queue): Promise<string[]> {
  const jobs = await queue.getJobs(['wait', 'delayed', 'active', 'prioritized']);
  return jobs.map((job) => job.id!).sort();
}

/** The delivery key carried in a reminder's Message-ID (`<rem-...-dp3.<user id>@fundflow>`). */
export function deliveryKeyOf(messageId: string): string {
  return messageId.replace(/^</, '').replace(/@fundflow>$/, '');
}
