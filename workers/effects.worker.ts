import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { z } from 'zod';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import { DEADLINES, type ReminderPolicies } from '../config/reminder-policies.ts';
import { addDays, businessDateOf } from '../src/domain/business-date.ts';
import { planReminders } from '../src/domain/reminder-plan.ts';
import type { Database } from '../src/store/database.ts';
import { cancelDeadlines, planDeadline, type ScheduleChange } from '../src/store/schedules.store.ts';
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
  const plan = (projectId: string, seq: number, deadline: (typeof DEADLINES)[number], dueDate: string) =>
    planDeadline(deps.db, { projectId, seq, deadline, dueDate, now }, (scheduleId, generation) =>
      planReminders(scheduleId, generation, dueDate, deps.policies.policies[deadline], deps.policies.sendHour),
    );
  let change: ScheduleChange;
  switch (job.name) {
    case 'schedule.plan': {
      const data = parse(payloadSchemas['schedule.plan'], job.data);
      change = await plan(data.projectId, data.seq, data.deadline, data.date);
      if (data.deadline === 'inspection.regular') {
        // With each regular inspection planned, an unannounced one falls on a day nobody can predict,
        // before it; only inspectors are reminded of it (plan 四.4: regular and unannounced supervision).
        const unannounced = await plan(data.projectId, data.seq, 'inspection.unannounced', deps.unannouncedDate(businessDateOf(now), data.date));
        change = { planned: [...change.planned, ...unannounced.planned], cancelled: [...change.cancelled, ...unannounced.cancelled] };
      }
      break;
    }
    case 'schedule.cancel': {
      const data = parse(payloadSchemas['schedule.cancel'], job.data);
      change = await cancelDeadlines(deps.db, { ...data, reason: 'the project moved on', now });
      break;
    }
    case 'schedule.replan': {
      // After a resume: the execution deadlines start again from today, and an open correction keeps its date.
      const data = parse(payloadSchemas['schedule.replan'], job.data);
      const today = businessDateOf(now);
      const plans = [
        await plan(data.projectId, data.seq, 'inspection.regular', addDays(today, deps.rules.inspectionCadenceDays)),
        await plan(data.projectId, data.seq, 'progress.report', addDays(today, deps.rules.progressReportCadenceDays)),
        ...(data.correctionDue ? [await plan(data.projectId, data.seq, 'correction', data.correctionDue)] : []),
      ];
      change = { planned: plans.flatMap((p) => p.planned), cancelled: plans.flatMap((p) => p.cancelled) };
      break;
    }
    default:
      throw new UnrecoverableError(`no handler for effect ${job.name}`);
  }
  await enqueueReminders(deps.reminders, change, now);
  return change;
}
