import { randomBytes } from 'node:crypto';
import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { remindersQueue, workerConnection } from '../../workers/queues.ts';
import { reconcileReminders } from '../../src/usecases/reminders/reconcile-reminders.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { metricValue, startObservedApp } from '../support/observed-app.ts';
import { TestRedisServer } from '../support/redis-server.ts';
import { deliveryKeyOf, dueDateAfter, pendingJobIds, planLoad, type PlannedLoad } from '../support/reminder-load.ts';
import { collectConnectionErrors } from '../support/sink-faults.ts';
import { SmtpSink, type ReceivedMail } from '../support/smtp-sink.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';
import { startWorkerProcess, type WorkerProcessEnv } from '../support/worker-process.ts';

/**
 * Fault tests of the workers (issue 5): a worker killed with -9, a redis-server restarted from its
 * AOF, a FLUSHALL, an SMTP outage, a payload that can never be valid and a SIGTERM. They run on a
 * redis-server of their own (free port, AOF fsync always, temporary directory), the real
 * PostgreSQL and a real SMTP server in this process. Days pass on the test clocks (the app's
 * TestClock in this process, a fixed NOW in the worker processes), never on the wall clock.
 */

const BASE = '2024-10-08T02:00:00Z';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
let sink: SmtpSink;
let sinkErrors: Error[];
let smtpUrl: string;
let mailer: Mailer;
let redis: TestRedisServer;
let client: Redis;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = new TestRedisServer();
  [database] = await Promise.all([createTestDatabase(), redis.start()]);
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  sink = new SmtpSink();
  smtpUrl = await sink.start();
  sinkErrors = collectConnectionErrors(sink);
  mailer = smtpMailer(smtpUrl, 'fundflow <noreply@fundflow.test>');
  client = redis.client();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  sink.failing = false;
  // The reconciler looks at every planned reminder in the database: leave none for the next test.
  await app.db.query(`UPDATE reminders SET status = 'cancelled', status_reason = 'test over' WHERE status = 'planned'`);
});

afterAll(async () => {
  client?.disconnect();
  mailer?.close();
  await sink?.stop();
  await app?.close();
  await database?.drop();
  await redis?.destroy();
});

const newPrefix = () => `ff${randomBytes(4).toString('hex')}`;

/** A reminders queue in this process on the test's redis-server, as the reconciler of any process has one. */
function openQueue(prefix: string) {
  const connection = workerConnection(redis.url);
  connection.on('error', () => {});
  const queue = remindersQueue(connection, prefix, { attempts: 3, backoffMs: 200 });
  cleanups.push(async () => {
    await queue.close();
    connection.disconnect();
  });
  return { queue, connection };
}

async function correctingProjects(count: number): Promise<string[]> {
  app.clock.set(BASE);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await driveTo(app, 'deviated-corrected.correcting')).id);
  return ids;
}

async function statusCounts(ids: string[]): Promise<Record<string, number>> {
  const rows = await app.db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM reminders WHERE id = ANY($1::text[]) GROUP BY status`,
    [ids],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

async function deliveriesOf(ids: string[]) {
  return app.db.query<{ delivery_key: string; reminder_id: string; message_id: string; status: string; attempts: number; error: string | null }>(
    `SELECT delivery_key, reminder_id, message_id, status, attempts, error FROM deliveries WHERE reminder_id = ANY($1::text[]) ORDER BY delivery_key`,
    [ids],
  );
}

/** The sink's messages that belong to the given reminders, and how often each Message-ID arrived. */
function mailsOf(load: PlannedLoad): { mails: ReceivedMail[]; byMessageId: Map<string, number> } {
  const ids = new Set(load.ids);
  const mails = sink.received.filter((mail) => ids.has(deliveryKeyOf(mail.messageId).split('.')[0]!));
  const byMessageId = new Map<string, number>();
  for (const mail of mails) byMessageId.set(mail.messageId, (byMessageId.get(mail.messageId) ?? 0) + 1);
  return { mails, byMessageId };
}

function childEnv(prefix: string, now: Date, extra: Partial<WorkerProcessEnv> = {}): WorkerProcessEnv {
  return { DATABASE_URL: database.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, SMTP_URL: smtpUrl, NOW: now.toISOString(), ...extra };
}

describe('worker faults, on a redis-server of the test its own', () => {
  it('kill -9 of a worker process while 1,000 reminders are due: every one delivered, none twice', async () => {
    const projects = await correctingProjects(5);
    const load = await planLoad(app.db, projects, { perDeadline: 50, dueDate: dueDateAfter(app.clock.now(), 30), planNow: app.clock.now() });
    expect(load.ids).toHaveLength(1_000);
    const now = new Date(load.lastFireAt.getTime() + 3_600_000);
    const prefix = newPrefix();
    const { queue, connection } = openQueue(prefix);
    const planned = await reconcileReminders(app.db, queue, connection, now);
    expect(planned).toMatchObject({ planned: 1_000, recreated: 1_000 });

    const first = await startWorkerProcess(childEnv(prefix, now, { CONCURRENCY: '32' }));
    cleanups.push(() => first.kill9());
    await eventually(async () => mailsOf(load).mails.length >= 150, '150 deliveries before the kill', 30_000);
    await first.kill9();
    expect((await first.exited).signal).toBe('SIGKILL');

    const delivered = mailsOf(load).mails.length;
    expect(delivered).toBeLessThan(1_000);
    // Deliveries claimed but not recorded as sent: the only ones a crash can have sent twice.
    const inFlight = new Set(
      (await app.db.query<{ delivery_key: string }>(`SELECT delivery_key FROM deliveries WHERE status = 'sending' AND reminder_id = ANY($1::text[])`, [load.ids])).map(
        (row) => row.delivery_key,
      ),
    );
    // The jobs the dead worker held stay active under its lock until BullMQ's stall check, in
    // another worker, finds the lock expired (lockDuration 30 s, two stalledInterval passes of
    // 30 s: about a minute). This test moves on as its clocks do: it checks that each lock would
    // expire by itself, then does what the stall check does, putting the job back to wait.
    const active = await queue.getActive();
    expect(active.length).toBeLessThanOrEqual(32);
    for (const job of active) {
      const lockKey = `${prefix}:reminders:${job.id}:lock`;
      expect(await connection.pttl(lockKey)).toBeLessThanOrEqual(30_000);
      await job.moveToWait((await connection.get(lockKey)) ?? '0');
    }
    // The reconciler finds every still-planned reminder with its job: nothing was lost in Redis.
    const afterCrash = await reconcileReminders(app.db, queue, connection, now);
    expect(afterCrash.recreated).toBe(0);
    const stillPlanned = (await app.db.query<{ id: string }>(`SELECT id FROM reminders WHERE status = 'planned' AND id = ANY($1::text[])`, [load.ids])).map((r) => r.id);
    expect(afterCrash.planned).toBe(stillPlanned.length);
    // Every planned reminder has its job; the only other pending jobs are the dead worker's, whose
    // reminder it settled before it could tell BullMQ (they find it settled and send nothing).
    const pending = new Set(await pendingJobIds(queue));
    expect(stillPlanned.filter((id) => !pending.has(id))).toEqual([]);
    const heldIds = new Set(active.map((job) => job.id!));
    expect([...pending].filter((id) => !stillPlanned.includes(id) && !heldIds.has(id))).toEqual([]);

    const second = await startWorkerProcess(childEnv(prefix, now, { CONCURRENCY: '32' }));
    cleanups.push(() => second.kill9());
    await eventually(async () => (await statusCounts(load.ids)).sent === 1_000, 'all 1,000 reminders sent', 60_000);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const deliveries = await deliveriesOf(load.ids);
    expect(deliveries).toHaveLength(1_000);
    expect(new Set(deliveries.map((row) => row.reminder_id)).size).toBe(1_000);
    expect(deliveries.every((row) => row.status === 'sent')).toBe(true);
    // Only the jobs the dead worker held ran twice. Those whose delivery was already recorded as
    // sent claimed its key again (attempts 2) and sent nothing: the delivery key at work.
    expect(deliveries.filter((row) => row.attempts > 1 && !heldIds.has(row.reminder_id))).toEqual([]);
    const claimedAgainNotSent = deliveries.filter((row) => row.attempts > 1 && !inFlight.has(row.delivery_key));
    const { byMessageId } = mailsOf(load);
    // Every delivery reached the SMTP server under its own Message-ID...
    expect([...byMessageId.keys()].sort()).toEqual(deliveries.map((row) => row.message_id).sort());
    // ...once, except one that the crash caught between the SMTP answer and the database record:
    // at least once, by design; the receiver sees the same Message-ID again.
    const twice = [...byMessageId].filter(([, count]) => count > 1).map(([messageId]) => deliveryKeyOf(messageId));
    expect([...byMessageId.values()].every((count) => count <= 2)).toBe(true);
    for (const key of twice) expect(inFlight.has(key)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(inFlight.size);
    expect(claimedAgainNotSent.every((row) => byMessageId.get(row.message_id) === 1)).toBe(true);
    console.info(
      `kill -9 after ${delivered} of 1000 sent; ${active.length} jobs held, ${inFlight.size} deliveries in flight; ` +
        `${twice.length} re-sent with the same Message-ID; ${claimedAgainNotSent.length} found already sent and skipped`,
    );
  });

  it('SIGTERM drains: the worker process finishes what it holds, takes nothing new, closes and exits 0 by itself', async () => {
    const [project] = await correctingProjects(1);
    const load = await planLoad(app.db, [project!], { perDeadline: 10, dueDate: dueDateAfter(app.clock.now(), 30), planNow: app.clock.now() });
    const now = new Date(load.lastFireAt.getTime() + 3_600_000);
    const prefix = newPrefix();
    const { queue, connection } = openQueue(prefix);
    await reconcileReminders(app.db, queue, connection, now);
    const worker = await startWorkerProcess(childEnv(prefix, now, { CONCURRENCY: '4' }));
    cleanups.push(() => worker.kill9());
    await eventually(async () => mailsOf(load).mails.length >= 8, 'the first deliveries', 20_000);
    // By events and counts, not a stopwatch: the process exits 0 by itself (the child exits 3 if a
    // handle stays open 3 s after stop) with reminders left over, so it stopped taking jobs rather
    // than running the queue dry; below, those left are still planned with their jobs waiting.
    const remindersMailed = () => new Set(mailsOf(load).mails.map((mail) => deliveryKeyOf(mail.messageId).split('.')[0])).size;
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit, worker.output()).toEqual({ code: 0, signal: null });
    expect(remindersMailed()).toBeLessThan(load.ids.length);
    expect(worker.output()).toMatch(/stopped in \d+ ms/);

    // Nothing half done: no job left active, no delivery claimed and not recorded, and every
    // reminder either sent or still planned with its job waiting for the next worker.
    expect(await queue.getActiveCount()).toBe(0);
    const drained = await deliveriesOf(load.ids);
    expect(drained.length).toBeGreaterThan(0);
    expect(drained.filter((row) => row.status !== 'sent')).toEqual([]);
    const planned = (await app.db.query<{ id: string }>(`SELECT id FROM reminders WHERE status = 'planned' AND id = ANY($1::text[])`, [load.ids])).map((r) => r.id);
    expect(await pendingJobIds(queue)).toEqual(planned.sort());
    expect((await statusCounts(load.ids)).sent ?? 0).toBe(mailsOf(load).mails.length);

    // The next worker takes up where it stopped.
    app.clock.set(now);
    const workers = await startTestWorkers(app, mailer, { names: ['reminders'], redisUrl: redis.url, prefix });
    cleanups.push(() => workers.stop());
    await eventually(async () => (await statusCounts(load.ids)).sent === 40, 'all 40 sent');
    const { byMessageId } = mailsOf(load);
    expect(byMessageId.size).toBe(40);
    expect([...byMessageId.values()].every((count) => count === 1)).toBe(true);
  });

  it('redis-server restarted from its AOF: every planned job is still there and still runs', async () => {
    const [project] = await correctingProjects(1);
    const load = await planLoad(app.db, [project!], { perDeadline: 10, dueDate: dueDateAfter(app.clock.now(), 10), planNow: app.clock.now() });
    const prefix = newPrefix();
    const workers = await startTestWorkers(app, mailer, { names: ['reminders'], redisUrl: redis.url, prefix });
    cleanups.push(() => workers.stop());
    expect(await workers.reconcile()).toMatchObject({ planned: 40, recreated: 40 });
    expect((await workers.queues.reminders.getDelayed()).map((job) => job.id).sort()).toEqual(load.ids);

    // SHUTDOWN (fsync, exit), then a new redis-server on the same port and directory, while the
    // workers stay connected and reconnect by themselves.
    await redis.restart();
    expect(redis.aofFiles().some((file) => file.endsWith('.aof'))).toBe(true);
    const fresh = redis.client();
    cleanups.push(async () => fresh.disconnect());
    const jobIds = (await fresh.zrange(`${prefix}:reminders:delayed`, 0, -1)).sort();
    expect(jobIds).toEqual(load.ids);
    // A job is its id (the reminder id) and nothing else worth keeping: retention is the Worker's.
    expect(JSON.parse((await fresh.hget(`${prefix}:reminders:${load.ids[0]}`, 'data'))!)).toEqual({});
    expect(Object.keys(JSON.parse((await fresh.hget(`${prefix}:reminders:${load.ids[0]}`, 'opts'))!)).sort()).toEqual(['attempts', 'backoff', 'delay', 'jobId']);

    app.clock.set(new Date(load.lastFireAt.getTime() + 3_600_000));
    const report = await workers.reconcile();
    expect(report).toMatchObject({ planned: 40, recreated: 0, promoted: 40 });
    await eventually(async () => (await statusCounts(load.ids)).sent === 40, 'the 40 reminders sent after the restart');
    const { byMessageId } = mailsOf(load);
    expect(byMessageId.size).toBe(40);
    expect([...byMessageId.values()].every((count) => count === 1)).toBe(true);
  });

  it('FLUSHALL: one reconcile restores every pending job, and nothing already delivered is sent again', async () => {
    const [project] = await correctingProjects(1);
    const dueDate = dueDateAfter(app.clock.now(), 10);
    const load = await planLoad(app.db, [project!], { perDeadline: 10, dueDate, planNow: app.clock.now() });
    // Noon in Shanghai on the due date: the reminders before and on the day (5 of 10 per deadline) are due.
    app.clock.set(`${dueDate}T04:00:00Z`);
    const prefix = newPrefix();
    const workers = await startTestWorkers(app, mailer, { names: ['reminders'], redisUrl: redis.url, prefix });
    cleanups.push(() => workers.stop());
    expect(await workers.reconcile()).toMatchObject({ planned: 40, recreated: 40 });
    await eventually(async () => (await statusCounts(load.ids)).sent === 20, 'the 20 due reminders sent');
    const sentBefore = mailsOf(load).mails.length;
    expect(sentBefore).toBe(20);

    await client.flushall();
    expect(await client.dbsize()).toBe(0);

    const plannedIds = async () =>
      (await app.db.query<{ id: string }>(`SELECT id FROM reminders WHERE status = 'planned' AND id = ANY($1::text[]) ORDER BY id`, [load.ids])).map((r) => r.id).sort();
    const report = await workers.reconcile();
    expect(report).toMatchObject({ planned: 20, recreated: 20, promoted: 0 });
    expect(await pendingJobIds(workers.queues.reminders)).toEqual(await plannedIds());
    expect(await plannedIds()).toHaveLength(20);

    app.clock.set(new Date(load.lastFireAt.getTime() + 3_600_000));
    expect(await workers.reconcile()).toMatchObject({ planned: 20, recreated: 0, promoted: 20 });
    await eventually(async () => (await statusCounts(load.ids)).sent === 40, 'the rest sent after the flush');
    const { byMessageId } = mailsOf(load);
    expect(byMessageId.size).toBe(40);
    expect([...byMessageId.values()].every((count) => count === 1)).toBe(true);
    const deliveredOnce = await deliveriesOf(load.ids);
    expect(deliveredOnce).toHaveLength(40);
    expect(deliveredOnce.every((row) => row.attempts === 1)).toBe(true);
  });

  it('SMTP down for a while: failures visible meanwhile (deliveries, /metrics), delivered after it returns', async () => {
    const [project] = await correctingProjects(1);
    const load = await planLoad(app.db, [project!], { perDeadline: 3, dueDate: dueDateAfter(app.clock.now(), 10), planNow: app.clock.now() });
    app.clock.set(new Date(load.lastFireAt.getTime() + 3_600_000));
    const prefix = newPrefix();
    sink.failing = true;
    const workers = await startTestWorkers(app, mailer, { names: ['reminders'], redisUrl: redis.url, prefix, attempts: 8, backoffMs: 150 });
    cleanups.push(() => workers.stop());
    const observed = await startObservedApp(app.engine, [workers.queues.reminders]);
    cleanups.push(() => observed.close());
    const metrics = async () => (await fetch(`${observed.baseUrl}/metrics`)).text();
    await workers.reconcile();

    // At least two failed attempts for every delivery: the outage is visible while it lasts.
    const failing = await eventually(async () => {
      const rows = await deliveriesOf(load.ids);
      return rows.length === 12 && rows.every((row) => row.attempts >= 2 && row.error !== null) && rows;
    }, 'every delivery to fail twice');
    expect(failing.every((row) => row.status === 'sending' && /451|try again later/.test(row.error!))).toBe(true);
    expect(await statusCounts(load.ids)).toEqual({ planned: 12 });
    const during = await metrics();
    const sendingInDb = (await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'sending'`))[0]!.n;
    expect(sendingInDb).toBeGreaterThanOrEqual(12);
    expect(metricValue(during, 'fundflow_deliveries', { status: 'sending' })).toBe(sendingInDb);
    expect(metricValue(during, 'fundflow_reminders', { status: 'planned' })).toBe(12);
    const schedule = (await api('GET', `/api/v1/projects/${project}/schedule`, { token: app.users.supervisor.token })).body;
    expect(schedule.deadlines.flatMap((d: { reminders: { status: string }[] }) => d.reminders.map((r) => r.status))).toEqual(Array(12).fill('planned'));
    expect(mailsOf(load).mails).toHaveLength(0);

    sink.failing = false;
    await eventually(async () => (await statusCounts(load.ids)).sent === 12, 'the 12 reminders sent after the SMTP server is back', 20_000);
    const delivered = await deliveriesOf(load.ids);
    expect(delivered).toHaveLength(12);
    expect(delivered.every((row) => row.status === 'sent' && row.error === null && row.attempts >= 2)).toBe(true);
    const { byMessageId } = mailsOf(load);
    expect(byMessageId.size).toBe(12);
    expect([...byMessageId.values()].every((count) => count === 1)).toBe(true);
    const after = await metrics();
    expect(metricValue(after, 'fundflow_deliveries', { status: 'sent' })).toBe((metricValue(during, 'fundflow_deliveries', { status: 'sent' }) ?? 0) + 12);
    expect(metricValue(after, 'fundflow_reminders', { status: 'sent' })).toBe((metricValue(during, 'fundflow_reminders', { status: 'sent' }) ?? 0) + 12);
  });

  it('SMTP down through the last attempt: the reminder is failed, never silent: an alert is raised', async () => {
    const [project] = await correctingProjects(1);
    const load = await planLoad(app.db, [project!], { perDeadline: 1, dueDate: dueDateAfter(app.clock.now(), 10), planNow: app.clock.now() });
    app.clock.set(new Date(load.lastFireAt.getTime() + 3_600_000));
    sink.failing = true;
    const prefix = newPrefix();
    const workers = await startTestWorkers(app, mailer, { names: ['reminders'], redisUrl: redis.url, prefix, attempts: 2, backoffMs: 50 });
    cleanups.push(() => workers.stop());
    await workers.reconcile();
    await eventually(async () => (await statusCounts(load.ids)).failed === 4, 'the 4 reminders failed');
    const deliveries = await deliveriesOf(load.ids);
    expect(deliveries.map((row) => [row.status, row.attempts])).toEqual(Array(4).fill(['failed', 2]));
    const alerts = await app.db.query<{ kind: string; severity: string; audience_role: string; dedupe_key: string; project_id: string }>(
      `SELECT kind, severity, audience_role, dedupe_key, project_id FROM alerts WHERE kind = 'reminder.failed' AND project_id = $1 ORDER BY dedupe_key`,
      [project],
    );
    expect(alerts).toEqual(load.ids.map((id) => ({ kind: 'reminder.failed', severity: 'red', audience_role: 'admin', dedupe_key: `reminder-failed.${id}`, project_id: project })));
    const listed = await api('GET', '/api/v1/alerts', { token: app.users.admin.token });
    expect(listed.body.items.filter((a: { kind: string; projectId: string }) => a.kind === 'reminder.failed' && a.projectId === project)).toHaveLength(4);
    const failedJobs = await workers.queues.reminders.getFailed();
    expect(failedJobs.map((job) => [job.id, job.attemptsMade]).sort()).toEqual(load.ids.map((id) => [id, 2]));
    expect(mailsOf(load).mails).toHaveLength(0);
  });

  it('a job that used up its attempts on a database error is not lost: the reconciler gives its planned reminder a new job', async () => {
    const [project] = await correctingProjects(1);
    const load = await planLoad(app.db, [project!], { perDeadline: 1, dueDate: dueDateAfter(app.clock.now(), 10), planNow: app.clock.now() });
    app.clock.set(new Date(load.lastFireAt.getTime() + 3_600_000));
    const victim = load.ids[0]!;
    // The database refuses this one reminder's delivery record (as it would while it is down):
    // every attempt fails before any mail goes out, so nothing settles the reminder.
    await app.db.query(`ALTER TABLE deliveries ADD CONSTRAINT fault_injection CHECK (reminder_id <> '${victim}') NOT VALID`);
    cleanups.push(() => app.db.query('ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS fault_injection'));
    const prefix = newPrefix();
    const workers = await startTestWorkers(app, mailer, { names: ['reminders'], redisUrl: redis.url, prefix, attempts: 2, backoffMs: 50 });
    cleanups.push(() => workers.stop());
    await workers.reconcile();
    await eventually(async () => (await workers.queues.reminders.getJobState(victim)) === 'failed', 'the job to use up its attempts');
    await eventually(async () => (await statusCounts(load.ids)).sent === 3, 'the other reminders sent');
    expect(await statusCounts([victim])).toEqual({ planned: 1 });

    await app.db.query('ALTER TABLE deliveries DROP CONSTRAINT fault_injection');
    const report = await workers.reconcile();
    expect(report).toMatchObject({ recreated: 1, replacedFinished: 1 });
    await eventually(async () => (await statusCounts([victim])).sent === 1, 'the reminder sent once the database accepts it');
    expect(mailsOf(load).byMessageId.size).toBe(4);
  });

  it('a job that can never succeed (not a reminder id, a payload failing its zod schema) is an UnrecoverableError: failed after one attempt, never retried', async () => {
    const prefix = newPrefix();
    const workers = await startTestWorkers(app, mailer, { names: ['effects', 'reminders'], redisUrl: redis.url, prefix, attempts: 5, backoffMs: 10 });
    cleanups.push(() => workers.stop());
    const bad = [
      await workers.queues.reminders.add('reminder', {}),
      await workers.queues.reminders.add('reminder', {}, { jobId: 'rem-0-g1-dx0' }),
      await workers.queues.effects.add('schedule.plan', { projectId: 'not-a-uuid', seq: 0, deadline: 'lunch', date: 'soon' }),
    ];
    for (const job of bad) {
      const queue: Queue = job.queueName === 'effects' ? workers.queues.effects : workers.queues.reminders;
      await eventually(async () => (await queue.getJobState(job.id!)) === 'failed', `job ${job.id} of ${job.queueName} to fail`);
      const failed = (await Job.fromId(queue, job.id!))!;
      expect(failed.opts.attempts).toBe(5);
      expect(failed.attemptsMade).toBe(1);
      expect(failed.attemptsStarted).toBe(1);
      expect(failed.failedReason).toMatch(job.queueName === 'effects' ? /^bad schedule\.plan@1 payload: projectId/ : /^not a reminder job: id "(\d+|rem-0-g1-dx0)" is not a reminder id$/);
    }
  });
});
