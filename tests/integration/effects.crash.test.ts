import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { TestRedisServer } from '../support/redis-server.ts';
import { dueDateAfter, planLoad } from '../support/reminder-load.ts';
import { collectConnectionErrors } from '../support/sink-faults.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually } from '../support/test-workers.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

/**
 * Issue 11, durability 5: crash at any instant. Worker processes (relay, effects, reminders,
 * reconciler) are killed with SIGKILL again and again while tasks, notices and reminders are owed:
 * by themselves at random points between claim and send, send and record, record and "applied"
 * (fault injection in tests/support/worker-child.ts, seeded), and from outside at random moments.
 * BullMQ's own stall check gives the dead worker's jobs back (short lock: LOCK_MS), the relay
 * relays again what was relayed and not applied (each process's clock is later by more than the
 * bound), the reconciler rebuilds reminder jobs. Then every effect is applied exactly once, and a
 * mail sent but not recorded was sent again under the same Message-ID, never more often than it
 * was caught in flight.
 */

const BASE = '2024-10-08T02:00:00Z';
const REDELIVER_MS = 5_000;
const ROUNDS = 4;

let database: TestDatabase;
let app: TestApp;
let sink: SmtpSink;
let smtpUrl: string;
let redis: TestRedisServer;
const children: WorkerProcess[] = [];

beforeAll(async () => {
  redis = new TestRedisServer();
  [database] = await Promise.all([createTestDatabase(), redis.start()]);
  app = await startTestApp(database.db);
  sink = new SmtpSink();
  smtpUrl = await sink.start();
  collectConnectionErrors(sink);
});

afterAll(async () => {
  for (const child of children) await child.kill9().catch(() => undefined);
  await sink?.stop();
  await app?.close();
  await database?.drop();
  await redis?.destroy();
});

const keyOf = (messageId: string) => messageId.replace(/^<|@fundflow>$/g, '');

describe('crash at any instant', () => {
  it('worker processes killed -9 at random points many times: every task, notice and reminder applied once; a re-sent mail keeps its Message-ID', async () => {
    app.clock.set(BASE);
    const correcting: string[] = [];
    const reviewing: string[] = [];
    for (let i = 0; i < 3; i += 1) correcting.push((await driveTo(app, 'deviated-corrected.correcting')).id);
    for (let i = 0; i < 3; i += 1) reviewing.push((await driveTo(app, 'proposed.review')).id);
    const projects = [...correcting, ...reviewing];
    const load = await planLoad(app.db, correcting, { perDeadline: 4, dueDate: dueDateAfter(app.clock.now(), 30), planNow: app.clock.now() });
    const start = load.lastFireAt.getTime() + 3_600_000;
    const prefix = `ffc${randomBytes(4).toString('hex')}`;

    const unapplied = async () => (await app.db.query(`SELECT 1 FROM outbox WHERE project_id = ANY($1::uuid[]) AND applied_at IS NULL`, [projects])).length;
    const plannedLeft = async () => (await app.db.query(`SELECT 1 FROM reminders WHERE id = ANY($1::text[]) AND status = 'planned'`, [load.ids])).length;
    const sending = async () =>
      (await app.db.query<{ delivery_key: string }>(`SELECT delivery_key FROM deliveries WHERE status = 'sending'`)).map((row) => row.delivery_key);
    const allDone = async () => (await unapplied()) === 0 && (await plannedLeft()) === 0 && (await sending()).length === 0;

    // Keys caught claimed-and-not-recorded by a kill, with how often: the only ones that may arrive twice.
    const inFlight = new Map<string, number>();
    const crashes: string[] = [];
    const env = (round: number, extra: Record<string, string> = {}) => ({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      // Each process's clock is later than the last one's by more than the relay's bound.
      NOW: new Date(start + round * (REDELIVER_MS + 1_000)).toISOString(),
      WORKERS: 'relay,effects,reminders,reconciler',
      ATTEMPTS: '3',
      BACKOFF_MS: '100',
      CONCURRENCY: '4',
      LOCK_MS: '1000',
      STALLED_MS: '500',
      REDELIVER_MS: String(REDELIVER_MS),
      // The bounds shortened to seconds: a job BullMQ gave up after two stalls comes back by the
      // relay (effects) or the reconciler (reminders) within them.
      CLOCK: 'running',
      RECONCILE_MS: '3000',
      ...extra,
    });

    for (let round = 0; round < ROUNDS && !(await allDone()); round += 1) {
      const child = await startWorkerProcess(env(round, { CRASH_P: '0.08', CRASH_SEED: String(round + 1) }));
      children.push(child);
      // From outside: once a random number of further mails (1 to 8) arrived, or the process died by itself.
      const target = sink.received.length + 1 + Math.floor(Math.random() * 8);
      const progressed = eventually(async () => sink.received.length >= target, 'progress', 20_000).then(
        () => 'outside' as const,
        () => 'outside' as const,
      );
      const ended = await Promise.race([child.exited.then(() => 'itself' as const), progressed]);
      if (ended === 'outside') await child.kill9();
      expect((await child.exited).signal).toBe('SIGKILL');
      const crash = child.output().match(/^crash (\S+) (\S+)$/m);
      crashes.push(crash ? `${crash[1]} ${keyOf(crash[2]!)}` : `outside after mail ${target}`);
      for (const key of await sending()) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      if (process.env.CRASH_DEBUG) console.info(round, crashes.at(-1), await unapplied(), await plannedLeft(), (await sending()).length, new Date().toISOString());
    }
    expect(crashes.length).toBeGreaterThanOrEqual(3);

    const last = await startWorkerProcess(env(ROUNDS));
    children.push(last);
    await eventually(allDone, 'every effect applied after the crashes', 45_000).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}: ${await unapplied()} outbox rows unapplied, ${await plannedLeft()} reminders planned, sending ${(await sending()).join(', ')}\n${last.output()}`);
    });
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);

    // Tasks: one per task.open row; each candidate holds exactly one live link (a re-sent mail replaced the earlier one).
    const taskRows = await app.db.query<{ dedupe_key: string; tasks: number }>(
      `SELECT o.dedupe_key, (SELECT count(*)::int FROM tasks t WHERE t.project_id = o.project_id AND t.opened_seq = o.event_seq AND t.kind = o.payload->>'task') AS tasks
         FROM outbox o WHERE o.project_id = ANY($1::uuid[]) AND o.topic = 'task.open'`,
      [projects],
    );
    expect(taskRows.length).toBeGreaterThanOrEqual(reviewing.length);
    expect(taskRows.filter((row) => row.tasks !== 1)).toEqual([]);
    const links = await app.db.query<{ task_id: string; user_id: string; live: number }>(
      `SELECT l.task_id, l.user_id, count(*) FILTER (WHERE l.used_at IS NULL AND l.revoked_at IS NULL)::int AS live
         FROM task_links l JOIN tasks t ON t.id = l.task_id WHERE t.project_id = ANY($1::uuid[]) AND t.status = 'open' GROUP BY 1, 2`,
      [projects],
    );
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((row) => row.live !== 1)).toEqual([]);

    // Reminders: every one sent, once.
    const reminders = await app.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM reminders WHERE id = ANY($1::text[]) GROUP BY status`, [load.ids]);
    expect(reminders).toEqual([{ status: 'sent', n: load.ids.length }]);

    // Deliveries of tasks, notices and reminders: all sent; each Message-ID arrived, more than once only if a kill caught it in flight.
    const deliveries = await app.db.query<{ delivery_key: string; message_id: string; status: string }>(
      `SELECT d.delivery_key, d.message_id, d.status FROM deliveries d
        WHERE d.reminder_id = ANY($1::text[]) OR d.delivery_key LIKE ANY($2::text[])
           OR EXISTS (SELECT 1 FROM tasks t WHERE t.project_id = ANY($3::uuid[]) AND d.delivery_key LIKE 'task.' || t.id || '.%')`,
      [load.ids, projects.map((id) => `notify.${id}.%`), projects],
    );
    expect(deliveries.length).toBeGreaterThan(load.ids.length);
    expect(deliveries.filter((row) => row.status !== 'sent')).toEqual([]);
    const arrived = new Map<string, number>();
    const keys = new Set(deliveries.map((row) => row.delivery_key));
    for (const mail of sink.received) {
      const key = keyOf(mail.messageId);
      if (keys.has(key)) arrived.set(key, (arrived.get(key) ?? 0) + 1);
    }
    expect(arrived.size).toBe(deliveries.length);
    const repeated = [...arrived].filter(([, count]) => count > 1);
    for (const [key, count] of repeated) {
      expect(inFlight.has(key), `${key} arrived ${count} times without being caught in flight`).toBe(true);
      expect(count).toBeLessThanOrEqual(1 + inFlight.get(key)!);
    }
    console.info(
      `${crashes.length} kills (${crashes.join('; ')}); ${deliveries.length} deliveries, ${arrived.size} distinct Message-IDs, ` +
        `${repeated.length} re-sent under the same Message-ID; ${inFlight.size} caught in flight`,
    );
  }, 240_000);
});
