import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { reconcileReminders } from '../../src/usecases/reminders/reconcile-reminders.ts';
import { remindersQueue, workerConnection } from '../../workers/queues.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { TestRedisServer } from '../support/redis-server.ts';
import { dueDateAfter, planLoad } from '../support/reminder-load.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

/**
 * Issue 15, stalled jobs: a worker process dies (kill -9) holding a job's lock. Nobody moves the
 * job: BullMQ's own stall check, in another worker, finds the lock gone once its TTL ran out and
 * gives the job back, which then runs to the end. The lock must carry a TTL no longer than the
 * lock duration (a lock without one would hold the job forever: the test fails on it). Short lock
 * and stall intervals on a queue and a redis-server of the test's own.
 */

const LOCK_MS = 2_000;
const STALLED_MS = 1_000;

let database: TestDatabase;
let app: TestApp;
let redis: TestRedisServer;
let client: Redis;
let sink: SmtpSink;
let mailer: Mailer;
let blackHole: net.Server;
let blackHoleUrl: string;
const sockets: net.Socket[] = [];
let child: WorkerProcess | undefined;

beforeAll(async () => {
  redis = new TestRedisServer();
  [database] = await Promise.all([createTestDatabase(), redis.start()]);
  app = await startTestApp(database.db);
  client = redis.client();
  sink = new SmtpSink();
  mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
  // An SMTP server that accepts and never greets: a send hangs, the job stays active under its lock.
  blackHole = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHoleUrl = `smtp://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await child?.kill9().catch(() => undefined);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => blackHole?.close(resolve));
  client?.disconnect();
  mailer?.close();
  await sink?.stop();
  await app?.close();
  await database?.drop();
  await redis?.destroy();
});

describe('stalled jobs', () => {
  it("a worker killed -9 holding a job's lock: the lock expires by its TTL and BullMQ's stall check gives the job back, untouched by the test", async () => {
    app.clock.set('2024-10-08T02:00:00Z');
    const project = await driveTo(app, 'deviated-corrected.correcting');
    const load = await planLoad(app.db, [project.id], { perDeadline: 1, dueDate: dueDateAfter(app.clock.now(), 30), planNow: app.clock.now() });
    const now = new Date(load.lastFireAt.getTime() + 3_600_000);
    app.clock.set(now);
    const prefix = `ffs${randomBytes(4).toString('hex')}`;
    const connection = workerConnection(redis.url);
    const queue = remindersQueue(connection, prefix, { attempts: 3, backoffMs: 200 });
    const events = new QueueEvents('reminders', { connection: workerConnection(redis.url), prefix });
    await events.waitUntilReady();
    const stalled: { jobId: string; lockTtl: number }[] = [];
    events.on('stalled', ({ jobId }) => {
      void client.pttl(`${prefix}:reminders:${jobId}:lock`).then((lockTtl) => stalled.push({ jobId, lockTtl }));
    });
    try {
      expect(await reconcileReminders(app.db, queue, connection, now)).toMatchObject({ recreated: load.ids.length });

      child = await startWorkerProcess({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix,
        SMTP_URL: blackHoleUrl,
        NOW: now.toISOString(),
        WORKERS: 'reminders',
        CONCURRENCY: '1',
        LOCK_MS: String(LOCK_MS),
        STALLED_MS: String(STALLED_MS),
      });
      const held = await eventually(async () => (await queue.getActive())[0], 'a job held by the worker process');
      // The worker holds the lock while it works; the lock has a TTL of at most the lock duration.
      const ttl = await client.pttl(`${prefix}:reminders:${held.id}:lock`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(LOCK_MS);
      await child.kill9();
      expect(await queue.getJobState(held.id!)).toBe('active');

      const workers = await startTestWorkers(app, mailer, { names: ['reminders'], redisUrl: redis.url, prefix, lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS });
      try {
        await eventually(async () => stalled.some((event) => event.jobId === held.id), 'the stall check to give the job back', 30_000);
        // Given back only once its lock had expired by itself (no key left), not by the test.
        expect(stalled.filter((event) => event.jobId === held.id)).toEqual([{ jobId: held.id, lockTtl: -2 }]);
        await eventually(async () => (await queue.getJobState(held.id!)) === 'completed', 'the stalled job to complete', 30_000);
        const reminder = (await app.db.query<{ status: string }>(`SELECT status FROM reminders WHERE id = $1`, [held.id]))[0]!;
        expect(reminder.status).toBe('sent');
        const mails = sink.received.filter((mail) => mail.messageId.startsWith(`<${held.id}.`));
        expect(mails).toHaveLength(1);
      } finally {
        await workers.stop();
      }
    } finally {
      await events.close();
      await queue.close();
      connection.disconnect();
    }
  }, 90_000);
});
