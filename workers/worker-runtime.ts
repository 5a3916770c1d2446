import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.schema.ts';
import { DEFAULT_MONITORING_RULES } from '../config/monitoring-rules.ts';
import { DEFAULT_REMINDER_POLICIES } from '../config/reminder-policies.ts';
import { DEFAULT_TASK_RULES } from '../config/task-rules.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import type { Database } from '../src/usecases/effects/effect-deps.ts';
import type { WorkerRuntime } from './run-workers.ts';

/** The workers' runtime from the parsed config, for both composition roots. */
export function workerRuntime(
  config: AppConfig,
  parts: { db: Database; redisUrl: string; log: Logger; mailer: Mailer },
): WorkerRuntime {
  return {
    ...parts,
    publicUrl: config.publicUrl,
    rules: config.rules,
    policies: DEFAULT_REMINDER_POLICIES,
    monitoring: DEFAULT_MONITORING_RULES,
    taskRules: DEFAULT_TASK_RULES,
    effects: config.effects,
    now: () => new Date(),
  };
}
