import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import type { ReminderPolicies } from '../config/reminder-policies.ts';
import { DEFAULT_TASK_RULES } from '../config/task-rules.ts';
import { addDays } from '../src/domain/business-date.ts';
import { applyEffect, runEffect, type AppliedEffect } from '../src/usecases/effects/apply-effect.ts';
import { EffectRefused, type Database, type EffectDeps, type ScheduleChange } from '../src/usecases/effects/effect-deps.ts';
import { queueTimers } from './reminder-jobs.ts';

export { EFFECT_TOPICS } from '../src/jobs/effect-jobs.ts';

/** A day strictly between today and the next regular inspection, drawn at random (the shell's randomness). */
export function randomUnannouncedDate(today: string, regularDue: string, random: () => number = Math.random): string {
  const span = Math.max(1, Math.round((Date.parse(`${regularDue}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000) - 1);
  return addDays(today, 1 + Math.floor(random() * span));
}

/** The effects worker's processor: one use case (apply the effect the job names), refusals never retried. */
export function effectProcessor(deps: EffectDeps) {
  return async (job: Job): Promise<AppliedEffect> => {
    try {
      return await applyEffect(deps, { id: job.id, name: job.name, data: job.data });
    } catch (error) {
      if (error instanceof EffectRefused) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}

export interface EffectsDeps {
  unannouncedDate: (today: string, regularDue: string) => string;
  db: Database;
  reminders: Queue;
  rules: LifecycleRules;
  policies: ReminderPolicies;
  now: () => Date;
}

/** A schedule effect applied directly, without its outbox row and alone (the reminders benchmark's per-effect reference; production goes through effectProcessor). */
export async function processEffect(deps: EffectsDeps, job: Pick<Job, 'name' | 'data'>): Promise<ScheduleChange> {
  const full = { ...deps, timers: queueTimers(deps.reminders), taskRules: DEFAULT_TASK_RULES } as unknown as EffectDeps;
  try {
    return (await runEffect(full, job.name, job.data)) as ScheduleChange;
  } catch (error) {
    if (error instanceof EffectRefused) throw new UnrecoverableError(error.message);
    throw error;
  }
}
