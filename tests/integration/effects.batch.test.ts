import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPayloadSchemas } from '../../machines/project.schemas.ts';
import { applyEvent } from '../../src/engine/apply-event.ts';
import { SCHEDULE_CHUNK } from '../../src/usecases/effects/apply-schedule-batch.ts';
import { effectsQueue, remindersQueue, workerConnection } from '../../workers/queues.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers, TEST_REDIS_URL } from '../support/test-workers.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

/**
 * Issue 15: the effects worker applies schedule effects in batches (applyScheduleBatch: chunks of
 * SCHEDULE_CHUNK rows, one transaction each, one addBulk each, rows marked applied after; the relay
 * hands a run of them over as one schedule.run job). Driven through the real relay and effects
 * worker on real Redis and PostgreSQL:
 *   1. a backlog of schedule effects committed while the workers are down (REPORTS progress reports per
 *      project: older and newer plans of the same deadline, more than one chunk in all);
 *   2. a worker process killed -9 right after its first chunk was marked applied (fault injection of
 *      tests/support/worker-child.ts at 'outbox.applied'): part of the batch applied, the rest not;
 *   3. a fresh worker process finishes it (BullMQ's stall check gives the run back; the relay
 *      relays again what was relayed and not applied);
 * then every deadline is planned once, by the newest event (one generation of reminders); every
 * planned reminder has its job; every row is marked applied; and older effects relayed again
 * afterwards (as one run, and one alone) change nothing. Checked to fail when the rows are marked
 * before their reminders are queued, when applying the same event again does not queue its planned
 * reminders, and when a batch keeps the older of two plans of a deadline.
 */

const PROJECTS = 40;
/** Progress reports per project in the backlog, a day apart: each plans the same deadline again, the last one is the newest. */
const REPORTS = 6;
const REDELIVER_MS = 4_000;
const REPORT = { periodStart: '2024-10-01', periodEnd: '2024-12-31', indicators: [{ indicatorId: 'OUT1', value: 3 }] };

let database: TestDatabase;
let app: TestApp;
let sink: SmtpSink;
let smtpUrl: string;
const children: WorkerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  sink = new SmtpSink();
  smtpUrl = await sink.start();
});

afterAll(async () => {
  for (const child of children) await child.kill9().catch(() => undefined);
  await sink?.stop();
  await app?.close();
  await database?.drop();
});

interface ProgressSchedule {
  project_id: string;
  due_date: string;
  source_seq: number;
  generation: number;
  status: string;
}

describe('schedule effects applied in batches (real relay, effects worker, Redis)', () => {
  it('a backlog, a kill -9 mid-batch and the redelivery: every deadline planned once by the newest event, every reminder queued once, every row applied', async () => {
    app.clock.set('2024-10-08T02:00:00Z');
    const projects: string[] = [];
    for (let i = 0; i < PROJECTS; i += 1) projects.push((await driveTo(app, 'executing')).id);
    const prefix = `ffbatch${randomBytes(4).toString('hex')}`;

    // The projects' own effects so far (tasks, notices, the first tranche's plans), applied by the real workers.
    const unapplied = async () =>
      (await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE project_id = ANY($1::uuid[]) AND applied_at IS NULL`, [projects]))[0]!.n;
    const first = await startTestWorkers(app, { kind: 'local', send: async () => {}, close: () => {} }, { names: ['relay', 'effects'], prefix });
    await eventually(async () => (await unapplied()) === 0, 'the first effects applied', 60_000);
    await first.stop();

    // (1) The backlog, committed while no worker runs: each project reports REPORTS times, a day
    // apart; each report moves its progress.report deadline a day later (a newer plan of the same deadline).
    const report = async (projectId: string) =>
      applyEvent(app.engine, {
        projectId,
        actor: { userId: app.users.applicant.id, role: 'applicant', orgId: app.users.applicant.orgId },
        channel: 'api',
        type: 'REPORT_PROGRESS',
        payload: eventPayloadSchemas.REPORT_PROGRESS.parse(REPORT) as Record<string, unknown>,
      });
    // Project by project, so that the first chunk holds the newest plans of some projects (a chunk
    // marked applied before its reminders were queued would lose them) and the next chunk others.
    const newest = new Map<string, number>();
    for (const id of projects) {
      for (let day = 1; day <= REPORTS; day += 1) {
        app.clock.set(new Date(Date.parse('2024-10-08T02:00:00Z') + day * 86_400_000));
        newest.set(id, (await report(id)).body.version);
      }
    }
    const backlog = await app.db.query<{ id: number; project_id: string; event_seq: number; payload: { date: string } }>(
      `SELECT id, project_id, event_seq, payload FROM outbox WHERE project_id = ANY($1::uuid[]) AND applied_at IS NULL ORDER BY id`,
      [projects],
    );
    expect(backlog).toHaveLength(REPORTS * PROJECTS);
    expect((await app.db.query(`SELECT 1 FROM outbox WHERE project_id = ANY($1::uuid[]) AND applied_at IS NULL AND topic <> 'schedule.plan'`, [projects])).length).toBe(0);
    const newestDate = new Map(backlog.filter((row) => row.event_seq === newest.get(row.project_id)).map((row) => [row.project_id, row.payload.date]));
    expect(newestDate.size).toBe(PROJECTS);
    expect(backlog.length).toBeGreaterThan(SCHEDULE_CHUNK);

    // (2) A worker process that kills itself right after the first chunk of its batch is marked applied.
    const env = (nowIso: string, extra: Record<string, string> = {}) => ({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      NOW: nowIso,
      WORKERS: 'relay,effects',
      ATTEMPTS: '3',
      BACKOFF_MS: '100',
      LOCK_MS: '1000',
      STALLED_MS: '500',
      REDELIVER_MS: String(REDELIVER_MS),
      CLOCK: 'running',
      ...extra,
    });
    const crashing = await startWorkerProcess(env('2024-10-15T03:00:00Z', { CRASH_P: '1', CRASH_SEED: '1' }));
    children.push(crashing);
    expect((await crashing.exited).signal).toBe('SIGKILL');
    expect(crashing.output()).toMatch(/^crash after-outbox\.applied \d+(,\d+)+$/m);
    const appliedAtCrash = backlog.length - (await unapplied());
    expect(appliedAtCrash, 'the crash came in the middle of the batch: some rows applied, some not').toBeGreaterThan(0);
    expect(appliedAtCrash).toBeLessThan(backlog.length);
    // Rows whose plan was committed by the next chunk but not marked applied (their reminders may not be queued).
    const committedNotMarked = (
      await app.db.query(
        `SELECT 1 FROM outbox o JOIN schedules s ON s.project_id = o.project_id AND s.deadline = 'progress.report' AND s.source_seq = o.event_seq
          WHERE o.id = ANY($1::bigint[]) AND o.applied_at IS NULL`,
        [backlog.map((row) => row.id)],
      )
    ).length;

    // (3) A fresh process, its clock past the relay's bound: it finishes the batch.
    const finishing = await startWorkerProcess(env(new Date(Date.parse('2024-10-15T03:00:00Z') + REDELIVER_MS + 1_000).toISOString()));
    children.push(finishing);
    await eventually(async () => (await unapplied()) === 0, 'every backlog row applied after the crash', 45_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${finishing.output()}`);
    });

    // Every deadline planned by the newest event, once: one generation of reminders, all planned, no other planned one.
    const schedules = await app.db.query<ProgressSchedule>(
      `SELECT project_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, source_seq, generation, status FROM schedules
        WHERE project_id = ANY($1::uuid[]) AND deadline = 'progress.report'`,
      [projects],
    );
    expect(schedules).toHaveLength(PROJECTS);
    for (const schedule of schedules) {
      expect(schedule).toMatchObject({ status: 'active', source_seq: newest.get(schedule.project_id), due_date: newestDate.get(schedule.project_id) });
    }
    const reminders = await app.db.query<{ id: string; project_id: string; status: string; current: boolean }>(
      `SELECT r.id, r.project_id, r.status, r.generation = s.generation AS current FROM reminders r JOIN schedules s ON s.id = r.schedule_id
        WHERE r.project_id = ANY($1::uuid[]) AND s.deadline = 'progress.report'`,
      [projects],
    );
    const planned = reminders.filter((row) => row.status === 'planned');
    expect(planned.length).toBeGreaterThanOrEqual(PROJECTS);
    expect(planned.filter((row) => !row.current)).toEqual([]);
    const perProject = new Map<string, number>();
    for (const row of reminders.filter((r) => r.current)) perProject.set(row.project_id, (perProject.get(row.project_id) ?? 0) + 1);
    expect(new Set(perProject.values()).size, 'every project has the same reminder sequence, once').toBe(1);

    // Every planned reminder of these projects has its job. (A job may outlive its reminder when a
    // crash came between the plan and the queue: by design it finds the reminder cancelled and sends
    // nothing; so only cancelled ones may have one.)
    const connection = workerConnection(TEST_REDIS_URL);
    const queue = remindersQueue(connection, prefix);
    try {
      const jobs = new Set((await queue.getJobs(['delayed', 'wait', 'prioritized'])).map((job) => job.id!));
      expect(planned.filter((row) => !jobs.has(row.id)).map((row) => row.id)).toEqual([]);
      expect(reminders.filter((row) => jobs.has(row.id) && row.status !== 'planned' && row.status !== 'cancelled')).toEqual([]);
    } finally {
      await queue.close();
    }

    // Batches happened: the relay handed the backlog over as schedule.run jobs.
    const effects: Queue = effectsQueue(connection, prefix);
    try {
      const runs = (await effects.getJobs(['completed'])).filter((job) => job.name === 'schedule.run');
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.every((job) => job.data.keys.length >= 2)).toBe(true);

      // (4) Older effects relayed again after the newer ones (a lost job, relayed again): as one run of
      // rows, and one row alone under its own job id. Nothing changes.
      const older = backlog.filter((row) => row.event_seq !== newest.get(row.project_id));
      expect(older).toHaveLength((REPORTS - 1) * PROJECTS);
      const alone = older[0]!;
      await app.db.query(`UPDATE outbox SET applied_at = NULL, relayed_at = NULL WHERE id = ANY($1::bigint[])`, [older.slice(1).map((row) => row.id)]);
      await eventually(async () => (await unapplied()) === 0, 'the older run applied again', 30_000);
      const [aloneRow] = await app.db.query<{ topic: string; payload: Record<string, unknown>; dedupe_key: string }>(
        `UPDATE outbox SET applied_at = NULL WHERE id = $1 RETURNING topic, payload, dedupe_key`,
        [alone.id],
      );
      await (await effects.getJob(aloneRow!.dedupe_key))?.remove();
      const job = await effects.add(aloneRow!.topic, aloneRow!.payload, { jobId: aloneRow!.dedupe_key });
      const state = await eventually(async () => {
        const current = await job.getState();
        return (current === 'completed' || current === 'failed') && current;
      }, 'the older row alone applied again');
      expect(state).toBe('completed');
      expect(await unapplied()).toBe(0);
      const after = await app.db.query<ProgressSchedule>(
        `SELECT project_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, source_seq, generation, status FROM schedules
          WHERE project_id = ANY($1::uuid[]) AND deadline = 'progress.report'`,
        [projects],
      );
      const byProject = (rows: ProgressSchedule[]) => new Map(rows.map((row) => [row.project_id, row]));
      expect(byProject(after)).toEqual(byProject(schedules));
      const plannedAfter = await app.db.query<{ id: string }>(
        `SELECT r.id FROM reminders r JOIN schedules s ON s.id = r.schedule_id
          WHERE r.project_id = ANY($1::uuid[]) AND s.deadline = 'progress.report' AND r.status = 'planned'`,
        [projects],
      );
      expect(plannedAfter.map((row) => row.id).sort()).toEqual(planned.map((row) => row.id).sort());
    } finally {
      await effects.close();
      connection.disconnect();
    }
    finishing.child.kill('SIGTERM');
    expect((await finishing.exited).code).toBe(0);
    console.info(
      `${backlog.length} schedule effects; the kill came after ${appliedAtCrash} were marked applied, ${committedNotMarked} more planned and not marked; ` +
        `all applied after the redelivery`,
    );
  }, 240_000);
});
