import type { LifecycleRules } from '../../../config/lifecycle-rules.ts';
import type { ReminderPolicies } from '../../../config/reminder-policies.ts';
import type { TaskRules } from '../../../config/task-rules.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { Database } from '../../store/database.ts';
import type { ScheduleChange } from '../../store/schedules.store.ts';

/** The port the composition roots hand to use cases (workers never import src/store themselves). */
export type { Database } from '../../store/database.ts';
export type { ScheduleChange } from '../../store/schedules.store.ts';

/** Puts planned reminders on their timers and drops cancelled ones (BullMQ in workers/reminder-jobs.ts). */
export interface ReminderTimers {
  schedule: (change: ScheduleChange, now: Date) => Promise<void>;
}

export interface EffectDeps {
  db: Database;
  mailer: Mailer;
  timers: ReminderTimers;
  publicUrl: string;
  rules: LifecycleRules;
  taskRules: TaskRules;
  policies: ReminderPolicies;
  now: () => Date;
  /** Picks the day of an unannounced inspection between today and the next regular one. */
  unannouncedDate: (today: string, regularDue: string) => string;
  /**
   * Schedule effects (plan, replan) applied together by one job: its own and up to this many minus
   * one other committed, unapplied ones (DEFAULT_SCHEDULE_BATCH when left out; 1: each alone).
   */
  scheduleBatchSize?: number;
}

/** An effect job that can never be applied (bad payload, or not what the project's history committed): fail it, never retry. */
export class EffectRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EffectRefused';
  }
}
