import { renderReminderMail } from '../../mail/reminder.template.ts';
import { deliverAll } from '../../mail/deliver-once.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { raiseAlert } from '../../store/alerts.store.ts';
import type { Database } from '../../store/database.ts';
import { coalesce } from '../../infra/coalesce.ts';
import { recordDeliveries, type DeliveryResults } from '../../store/deliveries.store.ts';
import { settleReminder, takeDueReminders, type DueReminder, type ReminderContext } from '../../store/schedules.store.ts';
import { DEADLINE_RELEVANCE } from '../../domain/vocabulary.ts';

/**
 * The state tag a deadline needs: outside a state with it, its reminders are skipped (a deadline not
 * named here, e.g. a task's, matters while it is active). The machine tags its states; the database
 * claims deliveries by projects.tags, the worker explains a skip by the same tags.
 */
export const RELEVANT_STATES: Readonly<Record<string, string>> = DEADLINE_RELEVANCE;

export interface ReminderDeps {
  db: Database;
  mailer: Mailer;
  publicUrl: string;
  now: () => Date;
  onDelivered?: (lagMs: number) => void;
  onOutcome?: (outcome: string) => void;
  /** The two statements of a delivery; the processor coalesces concurrent jobs' (default: one job's alone). */
  statements?: DeliveryStatements;
}

export interface DeliveryStatements {
  take: (request: { reminderId: string; now: Date }) => Promise<DueReminder | undefined>;
  record: (results: DeliveryResults) => Promise<void>;
}

const alone = (db: Database): DeliveryStatements => ({
  take: async (request) => (await takeDueReminders(db, [request], RELEVANT_STATES))[0],
  record: (results) => recordDeliveries(db, [results]),
});

/**
 * Concurrent jobs share statements: while one of a kind is running, the next ones wait and go
 * together into one statement and one commit (up to maxBatch), so a burst at 09:00 costs PostgreSQL
 * a fraction of a statement per delivery; an idle worker runs each at once. (Benchmarked with 16 jobs
 * at once: 0.65 statements and 0.7 ms of PostgreSQL CPU a delivery, from 2 and 1.4 ms; one running
 * statement of a kind batched better than two.)
 */
export function coalescedStatements(db: Database, options = { inFlight: 1, maxBatch: 32 }): DeliveryStatements {
  return {
    take: coalesce((requests: { reminderId: string; now: Date }[]) => takeDueReminders(db, requests, RELEVANT_STATES), options),
    record: coalesce(async (batch: DeliveryResults[]) => {
      await recordDeliveries(db, batch);
      return batch.map(() => undefined);
    }, options),
  };
}

export type ReminderOutcome = 'sent' | 'skipped' | 'not-due' | 'already-settled' | 'missing';

function whyNotRelevant(reminder: ReminderContext): string | null {
  if (reminder.schedule_status !== 'active') return `the deadline is ${reminder.schedule_status}`;
  if (reminder.generation !== reminder.schedule_generation) return 'the deadline was rescheduled';
  const tag = Object.hasOwn(RELEVANT_STATES, reminder.deadline) ? RELEVANT_STATES[reminder.deadline] : undefined;
  if (tag && !reminder.project_tags.includes(tag)) return `the project moved on to ${reminder.project_state}`;
  return null;
}

/**
 * Re-reads the database when the job fires: a reminder for something done, or a project that moved
 * on, is recorded as skipped and sends nothing; otherwise each recipient gets one email, recorded
 * under its delivery key so that a retried or duplicated job never sends twice. Two statements in
 * all when it sends: read-and-claim, and record (with the reminder settled in the same commit).
 */
export async function processReminder(deps: ReminderDeps, reminderId: string, finalAttempt: boolean): Promise<{ outcome: ReminderOutcome; fireAt?: Date }> {
  const now = deps.now();
  const statements = deps.statements ?? alone(deps.db);
  const reminder = await statements.take({ reminderId, now });
  if (!reminder) return { outcome: 'missing' };
  if (reminder.status !== 'planned') return { outcome: 'already-settled' };
  const fireAt = new Date(reminder.fire_at);
  if (fireAt.getTime() > now.getTime()) return { outcome: 'not-due', fireAt };
  const irrelevant = whyNotRelevant(reminder);
  if (irrelevant) {
    await settleReminder(deps.db, reminderId, 'skipped', irrelevant, now);
    deps.onOutcome?.('skipped');
    return { outcome: 'skipped' };
  }
  if (reminder.recipients.length === 0) {
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
    return { outcome: 'skipped' };
  }
  if (reminder.claimed !== reminder.recipients.length) {
    // The database's test of relevance (the same patterns) disagreed with this one: send nothing, try again.
    throw new Error(`reminder ${reminderId}: ${reminder.claimed} of ${reminder.recipients.length} deliveries claimed`);
  }
  const outcomes = await deliverAll(
    deps.db,
    deps.mailer,
    deps.now,
    reminder.recipients.map((recipient) => ({
      key: `${reminderId}.${recipient.id}`,
      reminderId,
      userId: recipient.id,
      email: recipient.email,
      dueAt: fireAt,
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
    })),
    { reminderId, finalAttempt, claimed: new Set(reminder.to_send), record: statements.record },
  );
  for (const outcome of outcomes) if (outcome.status === 'sent') deps.onDelivered?.(outcome.lagMs);
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [outcome.error] : []));
  if (failures.length > 0) {
    if (finalAttempt) {
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
  deps.onOutcome?.('sent');
  return { outcome: 'sent' };
}

