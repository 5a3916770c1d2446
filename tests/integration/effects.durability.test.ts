import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITORING_RULES, type MonitoringRules } from '../../config/monitoring-rules.ts';
import { businessDateOf } from '../../src/domain/business-date.ts';
import { SCHEDULE_RUN_JOB } from '../../src/jobs/schedule-run.job.ts';
import { TASK_CLOSE_JOB } from '../../src/jobs/task-close.job.ts';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { raiseAlert } from '../../src/store/alerts.store.ts';
import { claimDeliveries } from '../../src/store/deliveries.store.ts';
import { keepPeriodicJobs } from '../../src/usecases/checks/catch-up-periodic.ts';
import { registerPendingEffectsMetric } from '../../src/usecases/effects/pending-effects.metric.ts';
import { previousMonth } from '../../src/usecases/reports/send-monthly-reports.ts';
import { checksQueue, workerConnection } from '../../workers/queues.ts';
import type { WorkerName } from '../../workers/run-workers.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { TestRedisServer } from '../support/redis-server.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';

/**
 * Issue 11, durability 1-3: the database is the truth for every effect. A redis-server of the
 * test's own is emptied (FLUSHALL: a restart without persistence, a failover to an empty replica)
 * while effects are owed; nothing is restarted. Time passes on the test clock only: the relay
 * relays again a row not applied `redeliverAfterMs` after it was relayed, by that clock.
 */

const REDELIVER_MS = 10 * 60_000;
const BOUNDS = { redeliverAfterMs: REDELIVER_MS, giveUpAfterMs: 60 * 60_000, behindAlertMinutes: 30 };

let database: TestDatabase;
let app: TestApp;
let sink: SmtpSink;
let mailer: Mailer;
let redis: TestRedisServer;
let client: Redis;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = new TestRedisServer();
  [database] = await Promise.all([createTestDatabase(), redis.start()]);
  app = await startTestApp(database.db);
  sink = new SmtpSink();
  mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
  client = redis.client();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  sink.failing = false;
});

afterAll(async () => {
  client?.disconnect();
  mailer?.close();
  await sink?.stop();
  await app?.close();
  await database?.drop();
  await redis?.destroy();
});

async function workers(names: WorkerName[], prefix: string, extra: { monitoring?: MonitoringRules } = {}) {
  const running = await startTestWorkers(app, mailer, { names, redisUrl: redis.url, prefix, attempts: 8, backoffMs: 2_000, effects: BOUNDS, ...extra });
  cleanups.push(() => running.stop());
  return running;
}

const keyOf = (messageId: string) => messageId.replace(/^<|@fundflow>$/g, '');

/** How often each Message-ID of the given delivery keys reached the SMTP server. */
function arrivals(keys: Iterable<string>): Map<string, number> {
  const wanted = new Set(keys);
  const counts = new Map<string, number>();
  for (const mail of sink.received) {
    const key = keyOf(mail.messageId);
    if (wanted.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function unappliedRows(projectIds: string[]) {
  return app.db.query<{ topic: string; dedupe_key: string }>(`SELECT topic, dedupe_key FROM outbox WHERE project_id = ANY($1::uuid[]) AND applied_at IS NULL`, [projectIds]);
}

describe('every pending effect comes back from PostgreSQL after Redis lost it', () => {
  it('five projects submitted while SMTP refuses, then FLUSHALL: all five review-task emails arrive exactly once, under the keys and Message-IDs claimed before, without a restart', async () => {
    app.clock.set('2024-10-08T02:00:00Z');
    const prefix = `ffd${randomBytes(4).toString('hex')}`;
    await workers(['relay', 'effects', 'reminders'], prefix);
    sink.failing = true;
    const projects: string[] = [];
    for (let i = 0; i < 5; i += 1) projects.push((await driveTo(app, 'proposed.review')).id);

    // Each review task is open and its email was tried once and refused: claimed, 'sending', not sent.
    const claimed = await eventually(async () => {
      const rows = await app.db.query<{ delivery_key: string; message_id: string }>(
        `SELECT d.delivery_key, d.message_id FROM deliveries d JOIN tasks t ON d.delivery_key LIKE 'task.' || t.id || '.%'
          WHERE t.project_id = ANY($1::uuid[]) AND d.status = 'sending' AND d.error IS NOT NULL`,
        [projects],
      );
      return rows.length === 5 && rows;
    }, 'five refused review-task emails');
    expect(sink.received.filter((mail) => claimed.some((row) => row.message_id === mail.messageId))).toEqual([]);

    await client.flushall();
    sink.failing = false;
    expect(await client.dbsize()).toBe(0);

    // Within the bound the relay leaves the rows alone (their jobs could still be waiting); past it,
    // by the clock, every row relayed and not applied goes back to Redis under its own job id.
    app.clock.set(new Date(app.clock.now().getTime() + REDELIVER_MS + 60_000));
    await eventually(async () => (await unappliedRows(projects)).length === 0, 'every outbox row of the five projects applied', 30_000);

    const counts = arrivals(claimed.map((row) => row.delivery_key));
    expect([...counts.keys()].sort()).toEqual(claimed.map((row) => row.delivery_key).sort());
    expect([...counts.values()]).toEqual([1, 1, 1, 1, 1]);
    const received = sink.received.filter((mail) => counts.has(keyOf(mail.messageId)));
    expect(received.map((mail) => mail.messageId).sort()).toEqual(claimed.map((row) => row.message_id).sort());
    const tasks = await app.db.query<{ status: string; live_links: number }>(
      `SELECT t.status, (SELECT count(*)::int FROM task_links l WHERE l.task_id = t.id AND l.used_at IS NULL AND l.revoked_at IS NULL) AS live_links
         FROM tasks t WHERE t.project_id = ANY($1::uuid[])`,
      [projects],
    );
    expect(tasks).toHaveLength(5);
    expect(tasks).toEqual(Array.from({ length: 5 }, () => ({ status: 'open', live_links: 1 })));
    const deliveries = await app.db.query<{ status: string }>(`SELECT status FROM deliveries WHERE delivery_key = ANY($1::text[])`, [claimed.map((row) => row.delivery_key)]);
    expect(deliveries.map((row) => row.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  });

  it('rows relayed but never applied (no consumer ran) come back after FLUSHALL: tasks, notices and deadline planning, each applied once', async () => {
    app.clock.set('2024-10-08T02:00:00Z');
    const prefix = `ffd${randomBytes(4).toString('hex')}`;
    const relayOnly = await workers(['relay'], prefix);
    const projects = [(await driveTo(app, 'inspected')).id, (await driveTo(app, 'deviated-corrected.correcting')).id, (await driveTo(app, 'suspended.held')).id];
    const rows = await app.db.query<{ topic: string; dedupe_key: string }>(`SELECT topic, dedupe_key FROM outbox WHERE project_id = ANY($1::uuid[])`, [projects]);
    expect([...new Set(rows.map((row) => row.topic))]).toEqual(expect.arrayContaining(['task.open', 'task.close', 'notify', 'schedule.plan']));
    await eventually(async () => (await app.db.query(`SELECT 1 FROM outbox WHERE project_id = ANY($1::uuid[]) AND relayed_at IS NULL`, [projects])).length === 0, 'every row relayed');
    await relayOnly.stop();
    cleanups.pop();
    expect((await unappliedRows(projects)).length).toBe(rows.length);

    await client.flushall();
    await workers(['relay', 'effects', 'reminders'], prefix);
    app.clock.set(new Date(app.clock.now().getTime() + REDELIVER_MS + 60_000));
    await eventually(async () => (await unappliedRows(projects)).length === 0, 'every row applied', 30_000);

    const tasks = await app.db.query<{ n: number; kinds: number }>(`SELECT count(*)::int AS n, count(DISTINCT (project_id, opened_seq, kind))::int AS kinds FROM tasks WHERE project_id = ANY($1::uuid[])`, [projects]);
    expect(tasks[0]!.n).toBe(rows.filter((row) => row.topic === 'task.open').length);
    expect(tasks[0]!.kinds).toBe(tasks[0]!.n);
    const schedules = await app.db.query<{ deadline: string }>(`SELECT deadline FROM schedules WHERE project_id = ANY($1::uuid[]) AND deadline NOT LIKE 'task.%'`, [projects]);
    expect(schedules.map((row) => row.deadline)).toEqual(expect.arrayContaining(['inspection.regular', 'progress.report', 'correction']));
    const notices = await app.db.query<{ delivery_key: string; status: string }>(`SELECT delivery_key, status FROM deliveries WHERE delivery_key LIKE ANY($1::text[])`, [projects.map((id) => `notify.${id}.%`)]);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.filter((row) => row.status !== 'sent')).toEqual([]);
    const counts = arrivals(notices.map((row) => row.delivery_key));
    expect(counts.size).toBe(notices.length);
    expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
  });

  it('a daily check and a monthly report whose runs Redis lost run again from the database, once, and their schedulers come back', async () => {
    const now = new Date();
    app.clock.set(now);
    // Slots that have just passed (Asia/Shanghai), so that today's and this month's runs are owed.
    const shanghai = new Date(now.getTime() + 8 * 3_600_000);
    const rules = {
      ...DEFAULT_MONITORING_RULES,
      dailyChecksCron: `${shanghai.getUTCMinutes()} ${shanghai.getUTCHours()} * * *`,
      monthlyReportsCron: `${shanghai.getUTCMinutes()} ${shanghai.getUTCHours()} ${shanghai.getUTCDate()} * *`,
    };
    const today = businessDateOf(now);
    await raiseAlert(app.db, { kind: 'test', severity: 'yellow', projectId: null, audienceRole: 'admin', dedupeKey: `test.${today}`, message: '测试预警', at: now });
    const prefix = `ffd${randomBytes(4).toString('hex')}`;
    const connection = workerConnection(redis.url);
    const queue = checksQueue(connection, prefix);
    cleanups.push(async () => {
      await queue.close();
      connection.disconnect();
    });
    await workers(['checks'], prefix, { monitoring: rules });
    await client.flushall();
    expect(await queue.getJobScheduler('daily-checks')).toBeUndefined();
    // Both jobs ran here before (a first start does not catch up).
    await app.db.query(`INSERT INTO periodic_runs (job, period, applied_at) VALUES ('daily-checks', '2000-01-01', now()), ('monthly-reports', '2000-01', now())`);

    const caughtUp = await keepPeriodicJobs(app.db, queue, rules, now);
    expect(caughtUp.sort()).toEqual([`daily-checks ${today}`, `monthly-reports ${previousMonth(today).label}`]);
    expect(await queue.getJobScheduler('daily-checks')).toMatchObject({ key: 'daily-checks' });
    await eventually(async () => (await app.db.query(`SELECT 1 FROM periodic_runs WHERE period <> '2000-01-01' AND period <> '2000-01'`)).length === 2, 'both runs recorded');
    const digest = `digest.${today}.${app.users.admin.id}`;
    const report = sink.received.filter((mail) => keyOf(mail.messageId).startsWith(`monthly-report.`) && mail.to.includes(app.users.authority.email));
    expect(arrivals([digest]).get(digest)).toBe(1);
    expect(report).toHaveLength(1);
    // Run again (the next reconcile): nothing is owed, nothing is added.
    expect(await keepPeriodicJobs(app.db, queue, rules, now)).toEqual([]);
  });
});

describe('consumers act only on what the project committed', () => {
  it('a forged task.close job added straight to the real queue records nothing, revokes nothing, and is failed once with a red alert', async () => {
    app.clock.set('2024-10-08T02:00:00Z');
    const prefix = `ffd${randomBytes(4).toString('hex')}`;
    const running = await workers(['relay', 'effects', 'reminders'], prefix);
    const project = await driveTo(app, 'proposed.review');
    await eventually(async () => (await unappliedRows([project.id])).length === 0 && (await app.db.query(`SELECT 1 FROM task_links l JOIN tasks t ON t.id = l.task_id WHERE t.project_id = $1`, [project.id])).length > 0, 'the review task and its link');
    const stateOfTasks = () =>
      app.db.query(`SELECT t.status, t.completed_by, (SELECT count(*)::int FROM task_links l WHERE l.task_id = t.id AND l.revoked_at IS NULL) AS live FROM tasks t WHERE t.project_id = $1`, [project.id]);
    const before = await stateOfTasks();
    expect(before).toEqual([{ status: 'open', completed_by: null, live: 1 }]);

    const queue: Queue = running.queues.effects;
    const forged = { projectId: project.id, seq: project.version + 1, eventType: 'APPROVE', actorId: app.users.finance.id };
    expect(TASK_CLOSE_JOB.schema.safeParse(forged).success).toBe(true);
    // 1. an id no outbox row has; 2. the id of a real row (its job removed), with another payload.
    const real = (await app.db.query<{ dedupe_key: string; payload: Record<string, unknown> }>(`SELECT dedupe_key, payload FROM outbox WHERE project_id = $1 AND topic = 'task.open'`, [project.id]))[0]!;
    await queue.remove(real.dedupe_key);
    const jobs = [
      await queue.add(TASK_CLOSE_JOB.name, forged, { jobId: `forged-${randomBytes(4).toString('hex')}` }),
      await queue.add(TASK_CLOSE_JOB.name, { ...forged, seq: real.payload.seq }, { jobId: real.dedupe_key }),
    ];
    for (const job of jobs) {
      await eventually(async () => (await queue.getJobState(job.id!)) === 'failed', `forged job ${job.id} failed`);
      const failed = (await queue.getJob(job.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/does not match the committed history/);
    }
    expect(await stateOfTasks()).toEqual(before);
    expect(await app.db.query(`SELECT 1 FROM task_close_marks WHERE project_id = $1`, [project.id])).toEqual([]);
    const alerts = await app.db.query<{ severity: string; details: { jobId: string } }>(`SELECT severity, details FROM alerts WHERE kind = 'effect.forged' AND details->>'jobId' = ANY($1::text[])`, [jobs.map((job) => job.id!)]);
    expect(alerts.map((alert) => alert.severity)).toEqual(['red', 'red']);
  });

  it('a forged schedule.run job (a key no row has, or a row that is no schedule plan) is failed once with a red alert and plans nothing', async () => {
    app.clock.set('2024-10-08T02:00:00Z');
    const prefix = `ffd${randomBytes(4).toString('hex')}`;
    const running = await workers(['relay', 'effects'], prefix);
    const project = await driveTo(app, 'executing');
    await eventually(async () => (await unappliedRows([project.id])).length === 0, 'the project\'s effects applied');
    const rows = await app.db.query<{ id: number; topic: string; dedupe_key: string }>(`SELECT id, topic, dedupe_key FROM outbox WHERE project_id = $1 ORDER BY id`, [project.id]);
    const plan = rows.find((row) => row.topic === 'schedule.plan')!;
    const task = rows.find((row) => row.topic === 'task.open')!;
    expect(plan && task).toBeTruthy();
    // The schedule.plan row made unapplied again, so that a forged run naming it would apply it if it were accepted.
    await app.db.query(`UPDATE outbox SET applied_at = NULL, relayed_at = now() WHERE id = $1`, [plan.id]);
    const schedulesBefore = await app.db.query(`SELECT deadline, generation, source_seq FROM schedules WHERE project_id = $1 ORDER BY deadline`, [project.id]);
    const queue: Queue = running.queues.effects;
    const jobs = [
      await queue.add(SCHEDULE_RUN_JOB.name, { keys: [plan.dedupe_key, `${project.id}.999.0`] }, { jobId: `forged-run-${randomBytes(4).toString('hex')}` }),
      await queue.add(SCHEDULE_RUN_JOB.name, { keys: [plan.dedupe_key, task.dedupe_key] }, { jobId: `forged-run-${randomBytes(4).toString('hex')}` }),
    ];
    for (const job of jobs) {
      await eventually(async () => (await queue.getJobState(job.id!)) === 'failed', `forged run ${job.id} failed`);
      const failed = (await queue.getJob(job.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/does not match the committed history/);
    }
    expect(await app.db.query(`SELECT applied_at FROM outbox WHERE id = $1`, [plan.id])).toEqual([{ applied_at: null }]);
    expect(await app.db.query(`SELECT deadline, generation, source_seq FROM schedules WHERE project_id = $1 ORDER BY deadline`, [project.id])).toEqual(schedulesBefore);
    const alerts = await app.db.query<{ severity: string }>(`SELECT severity FROM alerts WHERE kind = 'effect.forged' AND details->>'jobId' = ANY($1::text[])`, [jobs.map((job) => job.id!)]);
    expect(alerts.map((alert) => alert.severity)).toEqual(['red', 'red']);
    await app.db.query(`UPDATE outbox SET applied_at = now() WHERE id = $1`, [plan.id]);
  });
});

describe('nothing owed is silent', () => {
  it('a delivery still sending past the bound is marked failed with a red alert; effects behind raise a red alert; /metrics shows the oldest pending age', async () => {
    const prefix = `ffd${randomBytes(4).toString('hex')}`;
    const running = await workers([], prefix);
    const claimedAt = new Date();
    app.clock.set(claimedAt);
    const key = `test-stuck.${randomBytes(4).toString('hex')}`;
    await claimDeliveries(app.db, [{ key, reminderId: null, userId: app.users.admin.id, email: app.users.admin.email, messageId: `<${key}@fundflow>` }], claimedAt);
    const registry = new Registry();
    registerPendingEffectsMetric(registry, app.db, app.clock.now);

    // Within the bounds: left to its owner, and not yet behind.
    const statusOf = async () => (await app.db.query<{ status: string }>(`SELECT status FROM deliveries WHERE delivery_key = $1`, [key]))[0]!.status;
    const alertsNow = () =>
      app.db.query<{ kind: string; severity: string }>(`SELECT kind, severity FROM alerts WHERE kind IN ('delivery.given-up', 'effects.behind') AND created_at = $1 ORDER BY kind`, [
        app.clock.now().toISOString(),
      ]);
    app.clock.set(new Date(claimedAt.getTime() + 20 * 60_000));
    expect(await running.watch()).toMatchObject({ givenUp: 0, behindAlert: false });
    expect(await statusOf()).toBe('sending');
    expect(await alertsNow()).toEqual([]);
    expect((await registry.getSingleMetric('fundflow_oldest_pending_effect_seconds')!.get()).values[0]!.value).toBeGreaterThanOrEqual(20 * 60);

    // Past the behind bound (30 minutes): a red alert.
    app.clock.set(new Date(claimedAt.getTime() + 31 * 60_000));
    expect(await running.watch()).toMatchObject({ givenUp: 0, behindAlert: true });
    expect(await alertsNow()).toEqual([{ kind: 'effects.behind', severity: 'red' }]);

    // Past the give-up bound (60 minutes): failed, with a red alert of its own.
    app.clock.set(new Date(claimedAt.getTime() + 61 * 60_000));
    expect(await running.watch()).toMatchObject({ givenUp: 1 });
    expect(await statusOf()).toBe('failed');
    expect((await alertsNow()).filter((alert) => alert.kind === 'delivery.given-up')).toEqual([{ kind: 'delivery.given-up', severity: 'red' }]);
  });
});
