import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { DEFAULT_REMINDER_POLICIES } from '../../config/reminder-policies.ts';
import { DEFAULT_TASK_RULES } from '../../config/task-rules.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import type { MonitoringRules } from '../../config/monitoring-rules.ts';
import { runWorkers, type EffectBounds, type RunningWorkers, type WorkerName } from '../../workers/run-workers.ts';
import type { TestApp } from './test-app.ts';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The real workers on the real Redis, with a queue prefix of their own and the test's clock. */
export async function startTestWorkers(
  app: TestApp,
  mailer: Mailer,
  options: {
    names?: WorkerName[];
    redisUrl?: string;
    attempts?: number;
    backoffMs?: number;
    prefix?: string;
    publicUrl?: string;
    effects?: EffectBounds;
    monitoring?: MonitoringRules;
    lockDurationMs?: number;
    stalledIntervalMs?: number;
  } = {},
): Promise<RunningWorkers & { prefix: string }> {
  const prefix = options.prefix ?? `fftest${randomBytes(4).toString('hex')}`;
  const workers = await runWorkers({
    db: app.db,
    redisUrl: options.redisUrl ?? TEST_REDIS_URL,
    log: pino({ level: 'silent' }),
    mailer,
    publicUrl: options.publicUrl ?? 'http://fundflow.test',
    rules: app.engine.rules,
    policies: DEFAULT_REMINDER_POLICIES,
    monitoring: options.monitoring ?? DEFAULT_MONITORING_RULES,
    taskRules: DEFAULT_TASK_RULES,
    now: app.clock.now,
    prefix,
    retry: { attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? 200 },
    relayIntervalMs: 50,
    names: options.names ?? ['relay', 'effects', 'reminders'],
    ...(options.effects ? { effects: options.effects } : {}),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
  });
  return { ...workers, prefix };
}

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
