import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { REMINDER_ID } from '../src/jobs/reminder.job.ts';
import { coalescedStatements, processReminder, type ReminderDeps, type ReminderOutcome } from '../src/usecases/reminders/deliver-reminder.ts';

/**
 * The BullMQ processor. The job carries nothing but its id, the reminder id: an id that is not one
 * can never succeed, so it fails at once (UnrecoverableError) instead of being retried. A job that
 * fired early by the service's clock is delayed again until its reminder is due.
 */
export function reminderProcessor(options: ReminderDeps) {
  const deps: ReminderDeps = { ...options, statements: options.statements ?? coalescedStatements(options.db) };
  return async (job: Job, token?: string): Promise<ReminderOutcome> => {
    const reminderId = job.id ?? '';
    if (!REMINDER_ID.test(reminderId)) throw new UnrecoverableError(`not a reminder job: id ${JSON.stringify(reminderId)} is not a reminder id`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const { outcome, fireAt } = await processReminder(deps, reminderId, finalAttempt);
    if (outcome === 'not-due') {
      const wait = fireAt!.getTime() - deps.now().getTime();
      await job.moveToDelayed(Date.now() + Math.max(1_000, wait), token);
      throw new DelayedError();
    }
    return outcome;
  };
}
