import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import type { MonitoringRules } from '../config/monitoring-rules.ts';
import type { ReminderPolicies } from '../config/reminder-policies.ts';
import { DEFAULT_TASK_RULES, type TaskRules } from '../config/task-rules.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { EFFECT_TOPICS } from '../src/jobs/effect-jobs.ts';
import { MONTHLY_REPORTS_JOB } from '../src/jobs/periodic.job.ts';
import { keepPeriodicJobs } from '../src/usecases/checks/catch-up-periodic.ts';
import { runDailyChecks } from '../src/usecases/checks/run-daily-checks.ts';
import type { Database } from '../src/usecases/effects/effect-deps.ts';
import { watchEffects } from '../src/usecases/effects/watch-effects.ts';
import { reconcileReminders } from '../src/usecases/reminders/reconcile-reminders.ts';
import { sendMonthlyReports } from '../src/usecases/reports/send-monthly-reports.ts';
import { effectProcessor, randomUnannouncedDate } from './effects.worker.ts';
import { startOutboxRelay } from './outbox-relay.worker.ts';
import { CHECKS_QUEUE, checksQueue, DEFAULT_QUEUE_PREFIX, DEFAULT_RETRY, EFFECTS_QUEUE, effectsQueue, JOB_RETENTION, REMINDERS_QUEUE, remindersQueue, workerConnection, type RetryPolicy } from './queues.ts';
import { queueTimers } from './reminder-jobs.ts';
import { reminderProcessor } from './reminders.worker.ts';

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
  /** Schedule effects applied together by one effects job (default DEFAULT_SCHEDULE_BATCH; 1: each alone). */
  scheduleBatchSize?: number;
  names?: readonly WorkerName[];
  /** Bounds of the effects' durability (EFFECT_REDELIVER_MINUTES, DELIVERY_GIVE_UP_MINUTES, EFFECTS_BEHIND_ALERT_MINUTES). */
  effects?: EffectBounds;
  /** BullMQ's lock of a running job and the stall check (tests shorten them; defaults 30 s each). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface EffectBounds {
  redeliverAfterMs: number;
  giveUpAfterMs: number;
  behindAlertMinutes: number;
}

export const DEFAULT_EFFECT_BOUNDS: EffectBounds = { redeliverAfterMs: 10 * 60_000, giveUpAfterMs: 60 * 60_000, behindAlertMinutes: 30 };

export interface RunningWorkers {
  queues: { effects: Queue; reminders: Queue; checks: Queue };
  connection: Redis;
  reconcile: () => Promise<unknown>;
  /** One pass of the effect watch (give up stuck deliveries, the behind alert), as the reconciler runs it. */
  watch: () => Promise<unknown>;
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
  const bounds = runtime.effects ?? DEFAULT_EFFECT_BOUNDS;
  const workerOptions = {
    connection: workerConnection(runtime.redisUrl),
    prefix,
    ...JOB_RETENTION,
    ...(runtime.lockDurationMs ? { lockDuration: runtime.lockDurationMs } : {}),
    ...(runtime.stalledIntervalMs ? { stalledInterval: runtime.stalledIntervalMs } : {}),
  };
  const watch = (worker: Worker, name: string) => {
    worker.on('failed', (job, error) => runtime.log.warn({ job: job?.id, err: error.message }, `${name} job failed`));
    worker.on('error', (error) => runtime.log.error({ err: error }, `${name} worker error`));
    stops.push(() => worker.close());
  };

  if (names.includes('relay')) {
    const relay = startOutboxRelay(runtime.db, queues.effects, {
      topics: EFFECT_TOPICS,
      ...(runtime.relayIntervalMs ? { intervalMs: runtime.relayIntervalMs } : {}),
      redeliverAfterMs: bounds.redeliverAfterMs,
      now: runtime.now,
      onError: (error) => runtime.log.error({ err: error }, 'outbox relay failed; retrying'),
    });
    stops.push(() => relay.stop());
  }
  if (names.includes('effects')) {
    const processor = effectProcessor({
      db: runtime.db,
      mailer: runtime.mailer,
      timers: queueTimers(queues.reminders),
      publicUrl: runtime.publicUrl,
      rules: runtime.rules,
      taskRules: runtime.taskRules ?? DEFAULT_TASK_RULES,
      policies: runtime.policies,
      now: runtime.now,
      unannouncedDate: runtime.unannouncedDate ?? randomUnannouncedDate,
      ...(runtime.scheduleBatchSize ? { scheduleBatchSize: runtime.scheduleBatchSize } : {}),
    });
    // One job at a time, in outbox order: a project's effects apply in the order its events happened
    // (a schedule plan or replan job applies other waiting ones with it: the newest event wins there).
    watch(new Worker(EFFECTS_QUEUE, processor, { ...workerOptions, concurrency: 1 }), 'effects');
  }
  if (names.includes('reminders')) {
    const processor = reminderProcessor({ db: runtime.db, mailer: runtime.mailer, publicUrl: runtime.publicUrl, now: runtime.now });
    watch(new Worker(REMINDERS_QUEUE, processor, { ...workerOptions, concurrency: runtime.concurrency ?? 16 }), 'reminders');
  }
  if (names.includes('checks')) {
    const deps = { db: runtime.db, mailer: runtime.mailer, publicUrl: runtime.publicUrl, rules: runtime.monitoring, now: runtime.now };
    const processor = (job: Job) => (job.name === MONTHLY_REPORTS_JOB.name ? sendMonthlyReports(deps) : runDailyChecks(deps));
    watch(new Worker(CHECKS_QUEUE, processor, { ...workerOptions, concurrency: 1 }), 'checks');
    await keepPeriodicJobs(runtime.db, queues.checks, runtime.monitoring, runtime.now());
  }
  const reconcile = () => reconcileReminders(runtime.db, queues.reminders, connection, runtime.now());
  const watchOnce = () =>
    watchEffects(runtime.db, { now: runtime.now(), giveUpAfterMs: bounds.giveUpAfterMs, behindAlertMinutes: bounds.behindAlertMinutes });
  if (names.includes('reconciler')) {
    // Redis is rebuilt from the database: reminders' jobs, the periodic jobs' schedulers and a lost
    // run; effects are re-relayed by the relay. Then nothing owed may be silent (watchEffects).
    const run = () =>
      reconcile()
        .then((report) => runtime.log.info({ report }, 'reminders reconciled'))
        .then(() => keepPeriodicJobs(runtime.db, queues.checks, runtime.monitoring, runtime.now()))
        .then((caughtUp) => caughtUp.length > 0 && runtime.log.warn({ caughtUp }, 'periodic runs lost with Redis started again'))
        .then(() => watchOnce())
        .then((report) => report.givenUp + Number(report.behindAlert) > 0 && runtime.log.error({ report }, 'effects behind or given up'))
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
    watch: watchOnce,
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      workerOptions.connection.disconnect();
      connection.disconnect();
    },
  };
}
