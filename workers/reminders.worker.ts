import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { renderReminderMail } from '../src/mail/reminder.template.ts';
import { deliverOnce } from '../src/mail/deliver-once.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { raiseAlert } from '../src/store/alerts.store.ts';
import type { Database } from '../src/store/database.ts';
import { findRecipients } from '../src/store/recipients.store.ts';
import { loadReminder, settleReminder, type ReminderContext } from '../src/store/schedules.store.ts';

export const reminderJobSchema = z.object({ reminderId: z.string().regex(/^rem-[0-9a-f-]+-g\d+-d[mp]\d+$/) });

/** The states in which a deadline still matters; outside them its reminders are skipped. */
const RELEVANT_STATES: Record<string, RegExp> = {
  'inspection.regular': /^(executing|inspected|deviated-corrected\.)/,
  'inspection.unannounced': /^(executing|inspected|deviated-corrected\.)/,
  'progress.report': /^(executing|inspected|deviated-corrected\.)/,
  correction: /^deviated-corrected\.correcting$/,
  evaluation: /^evaluated\.(self-evaluation|re-evaluation)$/,
  'finance.review': /^evaluated\.finance-review$/,
};

export interface ReminderDeps {
  db: Database;
  mailer: Mailer;
  publicUrl: string;
  now: () => Date;
  onDelivered?: (lagMs: number) => void;
  onOutcome?: (outcome: string) => void;
}

export type ReminderOutcome = 'sent' | 'skipped' | 'not-due' | 'already-settled' | 'missing';

function whyNotRelevant(reminder: ReminderContext): string | null {
  if (reminder.schedule_status !== 'active') return `the deadline is ${reminder.schedule_status}`;
  if (reminder.generation !== reminder.schedule_generation) return 'the deadline was rescheduled';
  const relevant = RELEVANT_STATES[reminder.deadline];
  if (relevant && !relevant.test(reminder.project_state)) return `the project moved on to ${reminder.project_state}`;
  return null;
}

/**
 * Re-reads the database when the job fires: a reminder for something done, or a project that moved
 * on, is recorded as skipped and sends nothing; otherwise each recipient gets one email, recorded
 * under its delivery key so that a retried or duplicated job never sends twice.
 */
export async function processReminder(deps: ReminderDeps, reminderId: string, finalAttempt: boolean): Promise<ReminderOutcome> {
  const now = deps.now();
  const reminder = await loadReminder(deps.db, reminderId);
  if (!reminder) return 'missing';
  if (reminder.status !== 'planned') return 'already-settled';
  if (new Date(reminder.fire_at).getTime() > now.getTime()) return 'not-due';
  const irrelevant = whyNotRelevant(reminder);
  if (irrelevant) {
    await settleReminder(deps.db, reminderId, 'skipped', irrelevant, now);
    deps.onOutcome?.('skipped');
    return 'skipped';
  }
  const recipients = await findRecipients(deps.db, reminder.audience, reminder.org_id);
  if (recipients.length === 0) {
    await settleReminder(deps.db, reminderId, 'skipped', `no active user with role ${reminder.audience.join('/')}`, now);
    await raiseAlert(deps.db, {
      kind: 'reminder.no-recipient',
      severity: 'yellow',
      projectId: reminder.project_id,
      audienceRole: 'admin',
      dedupeKey: `no-recipient.${reminderId}`,
      message: `提醒无人接收 / nobody has role ${reminder.audience.join('/')} for ${reminder.project_code} (${reminder.deadline})`,
      at: now,
    });
    deps.onOutcome?.('skipped');
    return 'skipped';
  }
  const failures: string[] = [];
  for (const recipient of recipients) {
    const outcome = await deliverOnce(deps.db, deps.mailer, deps.now, {
      key: `${reminderId}.${recipient.id}`,
      reminderId,
      userId: recipient.id,
      email: recipient.email,
      dueAt: new Date(reminder.fire_at),
      finalAttempt,
      compose: () =>
        renderReminderMail({
          locale: recipient.locale,
          recipientName: recipient.name,
          projectCode: reminder.project_code,
          projectTitle: reminder.project_title,
          item: reminder.item,
          deadline: reminder.deadline,
          dueDate: reminder.due_date,
          offsetDays: reminder.offset_days,
          escalated: reminder.escalate,
          link: `${deps.publicUrl}/api/v1/projects/${reminder.project_id}`,
        }),
    });
    if (outcome.status === 'sent') deps.onDelivered?.(outcome.lagMs);
    if (outcome.status === 'failed') failures.push(outcome.error);
  }
  if (failures.length > 0) {
    if (finalAttempt) {
      await settleReminder(deps.db, reminderId, 'failed', failures.join('; '), now);
      await raiseAlert(deps.db, {
        kind: 'reminder.failed',
        severity: 'red',
        projectId: reminder.project_id,
        audienceRole: 'admin',
        dedupeKey: `reminder-failed.${reminderId}`,
        message: `提醒发送失败 / a reminder for ${reminder.project_code} (${reminder.deadline}) could not be delivered: ${failures.join('; ')}`,
        at: now,
      });
      deps.onOutcome?.('failed');
    }
    throw new Error(`delivery failed: ${failures.join('; ')}`);
  }
  await settleReminder(deps.db, reminderId, 'sent', null, now);
  deps.onOutcome?.('sent');
  return 'sent';
}

/** The BullMQ processor: validates the payload, re-delays a job that fired early by the service's clock. */
export function reminderProcessor(deps: ReminderDeps) {
  return async (job: Job, token?: string): Promise<ReminderOutcome> => {
    const parsed = reminderJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad reminder payload: ${parsed.error.message}`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await processReminder(deps, parsed.data.reminderId, finalAttempt);
    if (outcome === 'not-due') {
      const reminder = await loadReminder(deps.db, parsed.data.reminderId);
      const wait = reminder ? new Date(reminder.fire_at).getTime() - deps.now().getTime() : 60_000;
      await job.moveToDelayed(Date.now() + Math.max(1_000, wait), token);
      throw new DelayedError();
    }
    return outcome;
  };
}
