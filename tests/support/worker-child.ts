/**
 * One worker process for the fault tests, built like tests/support/test-workers.ts but from the
 * environment, so that a test can kill -9 it or send it SIGTERM:
 *   DATABASE_URL, REDIS_URL, QUEUE_PREFIX, SMTP_URL, NOW (the fixed instant of its clock),
 *   WORKERS (comma separated, default reminders), ATTEMPTS, BACKOFF_MS, CONCURRENCY,
 *   LOCK_MS and STALLED_MS (BullMQ's lockDuration and stalledInterval), REDELIVER_MS (the relay's bound),
 *   CLOCK=running (the clock moves on from NOW), RECONCILE_MS (the reconciler's interval),
 *   CRASH_SEED and CRASH_P (fault injection: at each point, claim→send, send→record, record→applied,
 *   the process kills itself with SIGKILL with probability CRASH_P, after printing `crash <point> <key>`).
 * Prints `ready` on stdout once the workers run. On SIGTERM it drains (workers.stop()), closes the
 * mailer and the database and then must exit by itself: open handles left behind make it exit 3.
 *   node --import tsx tests/support/worker-child.ts
 */
import { writeSync } from 'node:fs';
import { pino } from 'pino';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { DEFAULT_REMINDER_POLICIES } from '../../config/reminder-policies.ts';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import type { Database } from '../../src/store/database.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import { DEFAULT_EFFECT_BOUNDS, runWorkers, type WorkerName } from '../../workers/run-workers.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`worker-child: ${name} is required`);
    process.exit(2);
  }
  return value;
}

const startedAt = Date.now();
const base = new Date(required('NOW')).getTime();
// A fixed instant, or (CLOCK=running) one that moves on from it with the wall clock.
const clock = process.env.CLOCK === 'running' ? () => new Date(base + Date.now() - startedAt) : () => new Date(base);
const crashP = Number(process.env.CRASH_P ?? 0);
let seed = Number(process.env.CRASH_SEED ?? 1) >>> 0;
/** mulberry32: the same seed gives the same crash points. */
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
function maybeCrash(point: string, key: string): void {
  if (crashP > 0 && random() < crashP) {
    // Synchronously, so nothing else runs before the kill: it happens at this point.
    writeSync(1, `crash ${point} ${key}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
const pool = openPgDatabase(required('DATABASE_URL'), 10);
const smtp = smtpMailer(required('SMTP_URL'), 'fundflow <noreply@fundflow.test>');
const mailer: Mailer = {
  kind: smtp.kind,
  send: async (mail) => {
    maybeCrash('claimed-not-sent', mail.messageId);
    await smtp.send(mail);
    maybeCrash('sent-not-recorded', mail.messageId);
  },
  close: () => smtp.close(),
};
/** The statements after which a crash leaves the interesting states: recorded but the effect not marked applied, or the job not completed. */
const CRASH_AFTER = new Set(['deliveries.record', 'outbox.applied']);
const wrap = (database: Database): Database => ({
  ...database,
  kind: database.kind,
  query: async (sql, params, name) => {
    const rows = await database.query(sql, params, name);
    if (name && CRASH_AFTER.has(name)) maybeCrash(`after-${name}`, String(params?.[0] ?? ''));
    return rows as never;
  },
  transaction: (work) => database.transaction((tx) => work(wrap(tx))),
  close: () => database.close(),
});
const db = crashP > 0 ? wrap(pool) : pool;
const workers = await runWorkers({
  db,
  redisUrl: required('REDIS_URL'),
  log: pino({ level: process.env.LOG_LEVEL ?? 'silent' }, pino.destination(2)),
  mailer,
  publicUrl: 'http://fundflow.test',
  rules: DEFAULT_LIFECYCLE_RULES,
  policies: DEFAULT_REMINDER_POLICIES,
  monitoring: process.env.RECONCILE_MS
    ? { ...DEFAULT_MONITORING_RULES, reconcileEveryMinutes: Number(process.env.RECONCILE_MS) / 60_000 }
    : DEFAULT_MONITORING_RULES,
  now: clock,
  prefix: required('QUEUE_PREFIX'),
  retry: { attempts: Number(process.env.ATTEMPTS ?? 3), backoffMs: Number(process.env.BACKOFF_MS ?? 200) },
  concurrency: Number(process.env.CONCURRENCY ?? 16),
  names: (process.env.WORKERS ?? 'reminders').split(',') as WorkerName[],
  ...(process.env.LOCK_MS ? { lockDurationMs: Number(process.env.LOCK_MS) } : {}),
  ...(process.env.STALLED_MS ? { stalledIntervalMs: Number(process.env.STALLED_MS) } : {}),
  ...(process.env.REDELIVER_MS ? { effects: { ...DEFAULT_EFFECT_BOUNDS, redeliverAfterMs: Number(process.env.REDELIVER_MS) } } : {}),
});

process.once('SIGTERM', () => {
  const started = Date.now();
  void (async () => {
    await workers.stop();
    mailer.close();
    await db.close();
    process.stdout.write(`stopped in ${Date.now() - started} ms\n`);
    // Everything is closed: the event loop must now empty by itself.
    setTimeout(() => {
      console.error('worker-child: handles still open 3 s after stop');
      process.exit(3);
    }, 3_000).unref();
  })().catch((error: unknown) => {
    console.error('worker-child: stop failed', error);
    process.exit(1);
  });
});

process.stdout.write('ready\n');
