/**
 * The reminder benchmark's child process, in one of two modes (BENCH_WORKER_MODE):
 *
 * worker  The real reminders worker (runWorkers with names ['reminders'], as `npm run
 *         start:worker -- reminders` composes it: pg pool, BullMQ Worker, the mailer) on a clock that
 *         IPC can shift ({type:'clock', offsetMs}), so that a reminder planned for 09:00 on some
 *         business day falls due at a real instant the bench chooses. Its database and mailer are
 *         wrapped to count and time calls. IPC: 'reset' / 'stats' (its own view of a phase) / 'stop'.
 *         Its mailer is src/mail/mailer.ts smtpMailer, as production composes it.
 *         Env: DATABASE_URL, REDIS_URL, QUEUE_PREFIX, SMTP_URL, CONCURRENCY (16), DB_POOL (10).
 *
 * raw     The raw baseline: nodemailer sends COUNT copies of one rendered reminder to the sink with
 *         CONCURRENCY in flight, then prints {"count", "ms", "cpuMs", "rssMB"} and exits. Env:
 *         SMTP_URL, COUNT, CONCURRENCY (16), TRANSPORT: 'pool+smtpSocket' (nodemailer pool of SMTP_CONNECTIONS
 *         connections on smtpMailer's sockets, without anything else of fundflow; see transportOptions).
 *
 * Both print one JSON line on stdout when ready (worker) or done (raw).
 */
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { DEFAULT_REMINDER_POLICIES } from '../../config/reminder-policies.ts';
import { DEFAULT_SMTP_CONNECTIONS, smtpMailer, smtpSocket, type Mailer } from '../../src/mail/mailer.ts';
import { renderReminderMail } from '../../src/mail/reminder.template.ts';
import type { Database } from '../../src/store/database.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import { runWorkers } from '../../workers/run-workers.ts';

export const BENCH_MAIL_FROM = 'fundflow <noreply@fundflow.bench>';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`reminders-worker: ${name} is required`);
    process.exit(2);
  }
  return value;
}

const rssMB = () => Number((process.memoryUsage().rss / 2 ** 20).toFixed(1));

/** A reminder as the worker renders it for one recipient (the same size the worker sends). */
export function sampleReminderMail() {
  return renderReminderMail({
    locale: 'zh-CN',
    recipientName: '检查员（基准测试）',
    projectCode: 'YC-2024-05-001',
    projectTitle: '2024年中小企业经营管理人才培训',
    item: 5,
    deadline: 'inspection.regular',
    dueDate: '2026-12-01',
    offsetDays: 0,
    escalated: false,
    link: 'http://fundflow.bench/api/v1/projects/00000000-0000-4000-8000-000000000000',
  });
}

export type TransportKind = 'pool+smtpSocket';

/**
 * nodemailer transport options for the raw baseline: a pool of as many connections as smtpMailer
 * opens, on the same sockets (smtpSocket: Nagle off, the writes of one loop turn sent as one), so
 * that the baseline is the same transport with nothing of fundflow's around it (no queue, no
 * database, no template). The URL's host and port are given apart, as stock nodemailer options.
 */
export function transportOptions(smtpUrl: string, _kind: TransportKind): Record<string, unknown> {
  const url = new URL(smtpUrl);
  return {
    host: url.hostname,
    port: Number(url.port),
    secure: url.protocol === 'smtps:',
    pool: true,
    maxConnections: Number(process.env.SMTP_CONNECTIONS ?? DEFAULT_SMTP_CONNECTIONS),
    getSocket: smtpSocket,
  };
}

/** A Mailer like smtpMailer, over transportOptions (the raw baseline). */
function benchMailer(smtpUrl: string, kind: TransportKind): Mailer {
  const transport = nodemailer.createTransport(transportOptions(smtpUrl, kind) as never);
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({ from: BENCH_MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId });
    },
    close: () => transport.close(),
  };
}

async function rawMode(): Promise<void> {
  const count = Number(required('COUNT'));
  const concurrency = Number(process.env.CONCURRENCY ?? 16);
  const kind = (process.env.TRANSPORT ?? 'pool+smtpSocket') as TransportKind;
  const smtpUrl = required('SMTP_URL');
  const mailer = benchMailer(smtpUrl, kind);
  const mail = sampleReminderMail();
  const run = Number(process.env.RUN_ID ?? Date.now());
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const startedAtMs = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        await mailer.send({ to: 'inspector@bench.test', messageId: `<raw-${run}-${i}@fundflow>`, ...mail });
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  mailer.close();
  process.stdout.write(`${JSON.stringify({ count, ms, startedAtMs, cpuMs: (cpu.user + cpu.system) / 1000, rssMB: rssMB() })}\n`);
  process.exit(0);
}

const counters = { queries: 0, dbMs: 0, sends: 0, mailMs: 0 };

function timedDb(inner: Database): Database {
  return {
    kind: inner.kind,
    async query<Row>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]> {
      const t0 = performance.now();
      try {
        return await inner.query<Row>(sql, params, name);
      } finally {
        counters.queries += 1;
        counters.dbMs += performance.now() - t0;
      }
    },
    transaction: (work) => inner.transaction((tx) => work(timedDb(tx))),
    close: () => inner.close(),
  };
}

function timedMailer(inner: Mailer): Mailer {
  return {
    kind: inner.kind,
    async send(mail) {
      const t0 = performance.now();
      try {
        await inner.send(mail);
      } finally {
        counters.sends += 1;
        counters.mailMs += performance.now() - t0;
      }
    },
    close: () => inner.close(),
  };
}

async function workerMode(): Promise<void> {
  let offsetMs = 0;
  const inner = openPgDatabase(required('DATABASE_URL'), Number(process.env.DB_POOL ?? 10));
  const db = timedDb(inner);
  const mailer = timedMailer(smtpMailer(required('SMTP_URL'), BENCH_MAIL_FROM));
  const concurrency = Number(process.env.CONCURRENCY ?? 16);
  const workers = await runWorkers({
    db,
    redisUrl: required('REDIS_URL'),
    log: pino({ level: process.env.LOG_LEVEL ?? 'silent' }, pino.destination(2)),
    mailer,
    publicUrl: 'http://fundflow.bench',
    rules: DEFAULT_LIFECYCLE_RULES,
    policies: DEFAULT_REMINDER_POLICIES,
    monitoring: DEFAULT_MONITORING_RULES,
    now: () => new Date(Date.now() + offsetMs),
    prefix: required('QUEUE_PREFIX'),
    concurrency,
    names: ['reminders'],
  });

  let cpuStart = process.cpuUsage();
  let eluStart = performance.eventLoopUtilization();
  let windowStart = performance.now();
  /** Monotonic µs (the clock of V8's CPU profiles), so a profile can be cut to the measured window. */
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let windowStartUs = nowUs();
  const reset = () => {
    windowStartUs = nowUs();
    Object.assign(counters, { queries: 0, dbMs: 0, sends: 0, mailMs: 0 });
    cpuStart = process.cpuUsage();
    eluStart = performance.eventLoopUtilization();
    windowStart = performance.now();
  };
  const report = () => {
    const cpu = process.cpuUsage(cpuStart);
    const memory = process.memoryUsage();
    return {
      seconds: Number(((performance.now() - windowStart) / 1000).toFixed(2)),
      windowUs: [windowStartUs, nowUs()] as [number, number],
      ...counters,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      eventLoopUtilisation: Number(performance.eventLoopUtilization(eluStart).utilization.toFixed(3)),
      memoryMB: {
        rss: rssMB(),
        heapUsed: Number((memory.heapUsed / 2 ** 20).toFixed(1)),
        heapTotal: Number((memory.heapTotal / 2 ** 20).toFixed(1)),
        external: Number((memory.external / 2 ** 20).toFixed(1)),
      },
    };
  };
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await workers.stop().catch(() => {});
    mailer.close();
    await db.close().catch(() => {});
    process.exit(0);
  };
  process.on('message', (message: { type: string; offsetMs?: number }) => {
    if (message.type === 'clock') {
      offsetMs = message.offsetMs ?? 0;
      process.send?.({ type: 'clock-done' });
    } else if (message.type === 'reset') {
      reset();
      process.send?.({ type: 'reset-done' });
    } else if (message.type === 'stats') {
      process.send?.({ type: 'stats', stats: report() });
    } else if (message.type === 'stop') {
      void stop();
    }
  });
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, concurrency, rssMB: rssMB() })}\n`);
}

export type WorkerStats = {
  seconds: number;
  windowUs: [number, number];
  queries: number;
  dbMs: number;
  sends: number;
  mailMs: number;
  cpuMs: number;
  eventLoopUtilisation: number;
  memoryMB: { rss: number; heapUsed: number; heapTotal: number; external: number };
};

const mode = process.env.BENCH_WORKER_MODE;
if (mode === 'raw') await rawMode();
else if (mode === 'worker') await workerMode();
