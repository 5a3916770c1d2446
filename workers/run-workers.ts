import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import type { MonitoringRules } from '../config/monitoring-rules.ts';
import type { ReminderPolicies } from '../config/reminder-policies.ts';
import { DEFAULT_TASK_RULES, type TaskRules } from '../config/task-rules.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import type { Database } from '../src/store/database.ts';
import { runDailyChecks } from './checks.worker.ts';
import { EFFECT_TOPICS, processEffect, randomUnannouncedDate } from './effects.worker.ts';
import { startOutboxRelay } from './outbox-relay.worker.ts';
import { CHECKS_QUEUE, checksQueue, DEFAULT_QUEUE_PREFIX, DEFAULT_RETRY, EFFECTS_QUEUE, effectsQueue, JOB_RETENTION, REMINDERS_QUEUE, remindersQueue, workerConnection, type RetryPolicy } from './queues.ts';
import { reconcileReminders } from './reconciler.ts';
import { sendMonthlyReports } from './monthly-reports.worker.ts';
import { reminderProcessor } from './reminders.worker.ts';
import { processTaskEffect, TASK_TOPICS } from './tasks.worker.ts';

export const WORKER_NAMES = ['relay', 'effects', 'reminders', 'checks', 'reconciler'] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

export interface WorkerRuntime {
  db: Database;
  redisUrl: string;
  log: Logger;
  mailer: Mailer;
  publicUrl: string;
  rules: LifecycleRules;
  policies: ReminderPolicies;
  monitoring: MonitoringRules;
  taskRules?: TaskRules;
  /** The day of an unannounced inspection; random unless a test fixes it. */
  unannouncedDate?: (today: string, regularDue: string) => string;
  now: () => Date;
  prefix?: string;
  retry?: RetryPolicy;
  relayIntervalMs?: number;
  /** Reminder jobs processed at once. */
  concurrency?: number;
  names?: readonly WorkerName[];
}

export interface RunningWorkers {
  queues: { effects: Queue; reminders: Queue; checks: Queue };
  connection: Redis;
  reconcile: () => Promise<unknown>;
  stop: () => Promise<void>;
}

/** Starts the named workers (all by default). SIGTERM handling belongs to the caller: stop() drains and closes. */
export async function runWorkers(runtime: WorkerRuntime): Promise<RunningWorkers> {
  const names = runtime.names ?? WORKER_NAMES;
  const prefix = runtime.prefix ?? DEFAULT_QUEUE_PREFIX;
  const retry = runtime.retry ?? DEFAULT_RETRY;
  const connection = workerConnection(runtime.redisUrl);
  connection.on('error', (error) => runtime.log.warn({ err: error }, 'redis connection error'));
  const queues = {
    effects: effectsQueue(connection, prefix, retry),
    reminders: remindersQueue(connection, prefix, retry),
    checks: checksQueue(connection, prefix, retry),
  };
  for (const queue of Object.values(queues)) queue.on('error', (error) => runtime.log.warn({ err: error.message, queue: queue.name }, 'queue error'));
  const stops: (() => Promise<void>)[] = [];
  const workerOptions = { connection: workerConnection(runtime.redisUrl), prefix, ...JOB_RETENTION };
  const watch = (worker: Worker, name: string) => {
    worker.on('failed', (job, error) => runtime.log.warn({ job: job?.id, err: error.message }, `${name} job failed`));
    worker.on('error', (error) => runtime.log.error({ err: error }, `${name} worker error`));
    stops.push(() => worker.close());
  };

  if (names.includes('relay')) {
    const relay = startOutboxRelay(runtime.db, queues.effects, {
      topics: [...EFFECT_TOPICS, ...TASK_TOPICS],
      ...(runtime.relayIntervalMs ? { intervalMs: runtime.relayIntervalMs } : {}),
      onError: (error) => runtime.log.error({ err: error }, 'outbox relay failed; retrying'),
    });
    stops.push(() => relay.stop());
  }
  if (names.includes('effects')) {
    const deps = {
      db: runtime.db,
      reminders: queues.reminders,
      rules: runtime.rules,
      policies: runtime.policies,
      now: runtime.now,
      unannouncedDate: runtime.unannouncedDate ?? randomUnannouncedDate,
    };
    const taskDeps = {
      db: runtime.db,
      mailer: runtime.mailer,
      reminders: queues.reminders,
      publicUrl: runtime.publicUrl,
      taskRules: runtime.taskRules ?? DEFAULT_TASK_RULES,
      policies: runtime.policies,
      now: runtime.now,
    };
    const processor = (job: Job) =>
      (TASK_TOPICS as readonly string[]).includes(job.name) ? processTaskEffect(taskDeps, job) : processEffect(deps, job);
    // One at a time, in outbox order: a project's effects apply in the order its events happened.
    watch(new Worker(EFFECTS_QUEUE, processor, { ...workerOptions, concurrency: 1 }), 'effects');
  }
  if (names.includes('reminders')) {
    const processor = reminderProcessor({ db: runtime.db, mailer: runtime.mailer, publicUrl: runtime.publicUrl, now: runtime.now });
    watch(new Worker(REMINDERS_QUEUE, processor, { ...workerOptions, concurrency: runtime.concurrency ?? 16 }), 'reminders');
  }
  if (names.includes('checks')) {
    const deps = { db: runtime.db, mailer: runtime.mailer, publicUrl: runtime.publicUrl, rules: runtime.monitoring, now: runtime.now };
    const processor = (job: Job) => (job.name === 'monthly-reports' ? sendMonthlyReports(deps) : runDailyChecks(deps));
    watch(new Worker(CHECKS_QUEUE, processor, { ...workerOptions, concurrency: 1 }), 'checks');
    const retries = { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } };
    await queues.checks.upsertJobScheduler(
      'daily-checks',
      { pattern: runtime.monitoring.dailyChecksCron, tz: 'Asia/Shanghai' },
      { name: 'daily-checks', opts: retries },
    );
    await queues.checks.upsertJobScheduler(
      'monthly-reports',
      { pattern: runtime.monitoring.monthlyReportsCron, tz: 'Asia/Shanghai' },
      { name: 'monthly-reports', opts: retries },
    );
  }
  const reconcile = () => reconcileReminders(runtime.db, queues.reminders, connection, runtime.now());
  if (names.includes('reconciler')) {
    const run = () =>
      reconcile()
        .then((report) => runtime.log.info({ report }, 'reminders reconciled'))
        .catch((error: unknown) => runtime.log.error({ err: error }, 'reconcile failed'));
    void run();
    const timer = setInterval(run, runtime.monitoring.reconcileEveryMinutes * 60_000);
    timer.unref();
    stops.push(async () => clearInterval(timer));
  }
  runtime.log.info({ workers: names }, 'workers started');
  return {
    queues,
    connection,
    reconcile,
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      workerOptions.connection.disconnect();
      connection.disconnect();
    },
  };
}
