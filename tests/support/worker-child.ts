/**
 * One worker process for the fault tests, built like tests/support/test-workers.ts but from the
 * environment, so that a test can kill -9 it or send it SIGTERM:
 *   DATABASE_URL, REDIS_URL, QUEUE_PREFIX, SMTP_URL, NOW (the fixed instant of its clock),
 *   WORKERS (comma separated, default reminders), ATTEMPTS, BACKOFF_MS, CONCURRENCY.
 * Prints `ready` on stdout once the workers run. On SIGTERM it drains (workers.stop()), closes the
 * mailer and the database and then must exit by itself: open handles left behind make it exit 3.
 *   node --import tsx tests/support/worker-child.ts
 */
import { pino } from 'pino';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { DEFAULT_REMINDER_POLICIES } from '../../config/reminder-policies.ts';
import { smtpMailer } from '../../src/mail/mailer.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import { runWorkers, type WorkerName } from '../../workers/run-workers.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`worker-child: ${name} is required`);
    process.exit(2);
  }
  return value;
}

const now = new Date(required('NOW'));
const db = openPgDatabase(required('DATABASE_URL'), 10);
const mailer = smtpMailer(required('SMTP_URL'), 'fundflow <noreply@fundflow.test>');
const workers = await runWorkers({
  db,
  redisUrl: required('REDIS_URL'),
  log: pino({ level: process.env.LOG_LEVEL ?? 'silent' }, pino.destination(2)),
  mailer,
  publicUrl: 'http://fundflow.test',
  rules: DEFAULT_LIFECYCLE_RULES,
  policies: DEFAULT_REMINDER_POLICIES,
  monitoring: DEFAULT_MONITORING_RULES,
  now: () => now,
  prefix: required('QUEUE_PREFIX'),
  retry: { attempts: Number(process.env.ATTEMPTS ?? 3), backoffMs: Number(process.env.BACKOFF_MS ?? 200) },
  concurrency: Number(process.env.CONCURRENCY ?? 16),
  names: (process.env.WORKERS ?? 'reminders').split(',') as WorkerName[],
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
