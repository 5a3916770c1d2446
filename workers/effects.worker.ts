import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { z } from 'zod';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import { DEADLINES, type Deadline, type ReminderPolicies } from '../config/reminder-policies.ts';
import { addDays, businessDateOf } from '../src/domain/business-date.ts';
import { planReminders } from '../src/domain/reminder-plan.ts';
import type { Database } from '../src/store/database.ts';
import { planDeadlines, type DeadlineToPlan } from '../src/store/schedule-planning.store.ts';
import { cancelDeadlines, type ScheduleChange } from '../src/store/schedules.store.ts';
import { enqueueReminders } from './reminder-jobs.ts';

/** Outbox topics this worker consumes; the relay moves only these. */
export const EFFECT_TOPICS = ['schedule.plan', 'schedule.cancel', 'schedule.replan'] as const;

const base = { projectId: z.uuid(), seq: z.int().positive() };

/** A day strictly between today and the next regular inspection, drawn at random (the shell's randomness). */
export function randomUnannouncedDate(today: string, regularDue: string, random: () => number = Math.random): string {
  const span = Math.max(1, Math.round((Date.parse(`${regularDue}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000) - 1);
  return addDays(today, 1 + Math.floor(random() * span));
}
const payloadSchemas = {
  'schedule.plan': z.object({ ...base, deadline: z.enum(DEADLINES), date: z.iso.date() }),
  'schedule.cancel': z.object({ ...base, deadlines: z.array(z.string()).min(1) }),
  'schedule.replan': z.object({ ...base, correctionDue: z.iso.date().nullable().optional() }),
};

export interface EffectsDeps {
  /** Picks the day of an unannounced inspection between today and the next regular one. */
  unannouncedDate: (today: string, regularDue: string) => string;
  db: Database;
  reminders: Queue;
  rules: LifecycleRules;
  policies: ReminderPolicies;
  now: () => Date;
}

function parse<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const parsed = schema.safeParse(data);
  // A payload that can never be valid is not worth retrying.
  if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`);
  return parsed.data;
}

/** Applies one schedule effect of a committed transition, then puts the resulting reminders on the queue. */
export async function processEffect(deps: EffectsDeps, job: Pick<Job, 'name' | 'data'>): Promise<ScheduleChange> {
  const now = deps.now();
  // Every deadline an effect plans goes to the database in one transaction of two statements.
  const plan = (deadlines: DeadlineToPlan[]) =>
    planDeadlines(deps.db, deadlines, now, (entry, scheduleId, generation) =>
      planReminders(scheduleId, generation, entry.dueDate, deps.policies.policies[entry.deadline as Deadline], deps.policies.sendHour),
    );
  let change: ScheduleChange;
  switch (job.name) {
    case 'schedule.plan': {
      const { projectId, seq, deadline, date } = parse(payloadSchemas['schedule.plan'], job.data);
      const deadlines: DeadlineToPlan[] = [{ projectId, seq, deadline, dueDate: date }];
      if (deadline === 'inspection.regular') {
        // With each regular inspection planned, an unannounced one falls on a day nobody can predict,
        // before it; only inspectors are reminded of it (plan 四.4: regular and unannounced supervision).
        deadlines.push({ projectId, seq, deadline: 'inspection.unannounced', dueDate: deps.unannouncedDate(businessDateOf(now), date) });
      }
      change = await plan(deadlines);
      break;
    }
    case 'schedule.cancel': {
      const data = parse(payloadSchemas['schedule.cancel'], job.data);
      change = await cancelDeadlines(deps.db, { ...data, reason: 'the project moved on', now });
      break;
    }
    case 'schedule.replan': {
      // After a resume: the execution deadlines start again from today, and an open correction keeps its date.
      const { projectId, seq, correctionDue } = parse(payloadSchemas['schedule.replan'], job.data);
      const today = businessDateOf(now);
      change = await plan([
        { projectId, seq, deadline: 'inspection.regular', dueDate: addDays(today, deps.rules.inspectionCadenceDays) },
        { projectId, seq, deadline: 'progress.report', dueDate: addDays(today, deps.rules.progressReportCadenceDays) },
        ...(correctionDue ? [{ projectId, seq, deadline: 'correction', dueDate: correctionDue }] : []),
      ]);
      break;
    }
    default:
      throw new UnrecoverableError(`no handler for effect ${job.name}`);
  }
  await enqueueReminders(deps.reminders, change, now);
  return change;
}
