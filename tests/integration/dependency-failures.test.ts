import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { TestPgCluster } from '../support/pg-cluster.ts';
import { TestRedisServer } from '../support/redis-server.ts';
import { collectConnectionErrors } from '../support/sink-faults.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { uploadMaterialsOverHttp, uploadSampleOverHttp } from '../support/materials.ts';
import { apiClient, sampleProposal, startTestApp, type ApiResponse, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';
import { DEFAULT_EFFECT_BOUNDS } from '../../workers/run-workers.ts';

/**
 * Dependencies that fail while the service runs (issue 11, durability item 4). Each test starts and
 * stops servers of its own: a PostgreSQL cluster (initdb on a free port), a redis-server, an SMTP
 * server in this process. Outages last as long as it takes to see what must be seen (answers,
 * counts), never a wall-clock wait; OUTAGE_SECONDS lengthens them for a manual run.
 */

const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 0) * 1_000;
const holdOutage = () => new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));

type Phase = 'up' | 'down' | 'back';

interface Answer {
  command: 'create' | 'attach' | 'submit';
  startedIn: Phase;
  answeredIn: Phase;
  status: number;
  contentType: string;
  body: any;
  projectId?: string;
}

/** Applicants creating and submitting projects in a loop, each answer recorded with the phase it started and ended in. */
function startLoad(app: TestApp, clients: number, phase: () => Phase) {
  const api = apiClient(app.baseUrl);
  const token = app.users.applicant.token;
  const answers: Answer[] = [];
  let inFlight = 0;
  let stopping = false;
  const send = async (command: Answer['command'], request: () => Promise<ApiResponse>, projectId?: string) => {
    const startedIn = phase();
    inFlight += 1;
    let response: ApiResponse;
    try {
      response = await request();
    } finally {
      inFlight -= 1;
    }
    const answer: Answer = {
      command,
      startedIn,
      answeredIn: phase(),
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: response.body,
      ...(projectId ?? response.body?.id ? { projectId: projectId ?? response.body.id } : {}),
    };
    answers.push(answer);
    return answer;
  };
  const loop = async () => {
    while (!stopping) {
      const created = await send('create', () => api('POST', '/api/v1/projects', { token, body: sampleProposal() }));
      if (created.status !== 201 || stopping) continue;
      // A proposal goes in with its 申报书 and 预算明细 (config/required-materials.ts).
      const proposal = await send('attach', () => uploadSampleOverHttp(app.baseUrl, token, created.projectId!, 'proposal'), created.projectId);
      if (proposal.status !== 201 || stopping) continue;
      const budget = await send('attach', () => uploadSampleOverHttp(app.baseUrl, token, created.projectId!, 'budget'), created.projectId);
      if (budget.status !== 201 || stopping) continue;
      await send('submit', () => api('POST', `/api/v1/projects/${created.projectId}/events`, { token, body: { type: 'SUBMIT' } }), created.projectId);
    }
  };
  const loops = Array.from({ length: clients }, loop);
  return {
    answers,
    inFlight: () => inFlight,
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

const isProblem503 = (answer: Answer) =>
  answer.status === 503 && /application\/problem\+json/.test(answer.contentType) && answer.body?.code === 'unavailable';

describe('PostgreSQL fails while the service runs', () => {
  let cluster: TestPgCluster;
  let db: Database;
  let app: TestApp;

  beforeAll(async () => {
    cluster = new TestPgCluster();
    await cluster.init();
    // Short bounds so that the test sees them pass; the service's are DATABASE_*_TIMEOUT_MS.
    db = openPgDatabase(cluster.url, 6, { connectMs: 1_000, queryMs: 1_500 });
    await migrate(db);
    app = await startTestApp(db);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.close().catch(() => {});
    await cluster?.destroy();
  });

  /** Every command answered 2xx is in the audit trail: created projects with their PROPOSE, uploads with their ATTACH_FILE, submits with their SUBMIT. */
  async function expectAcknowledgedInAuditTrail(answers: Answer[]) {
    const acknowledged = answers.filter((answer) => answer.status === 200 || answer.status === 201);
    expect(acknowledged.length).toBeGreaterThan(0);
    const rows = await db.query<{ project_id: string; event_type: string }>(
      `SELECT project_id, event_type FROM project_events WHERE project_id = ANY($1::uuid[])`,
      [[...new Set(acknowledged.map((answer) => answer.projectId!))]],
    );
    const recorded = new Set(rows.map((row) => `${row.project_id}.${row.event_type}`));
    const eventOf = { create: 'PROPOSE', attach: 'ATTACH_FILE', submit: 'SUBMIT' } as const;
    const missing = acknowledged.filter((answer) => !recorded.has(`${answer.projectId}.${eventOf[answer.command]}`));
    expect(missing).toEqual([]);
    return acknowledged.length;
  }

  it('stopped under load: 503 problem+json while it is down, /readyz red, back by itself, no acknowledged command lost', async () => {
    let phase: Phase = 'up';
    const load = startLoad(app, 4, () => phase);
    await eventually(async () => load.answers.filter((a) => a.status === 201).length >= 8, 'commands answered before the outage', 30_000);

    await cluster.stop();
    phase = 'down';
    // Commands keep coming while PostgreSQL is down; each gets an answer, and it is a 503.
    await eventually(async () => load.answers.filter((a) => a.startedIn === 'down').length >= 20, '20 commands answered during the outage', 30_000);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await ready.json()) as { checks: { name: string; ok: boolean }[] }).checks).toContainEqual(expect.objectContaining({ name: 'database', ok: false }));
    await holdOutage();
    await load.stop();
    // Stopped and settled while PostgreSQL is still down: no request was left hanging for its return.
    expect(load.inFlight()).toBe(0);
    const duringOutage = load.answers.filter((a) => a.startedIn === 'down');
    expect(duringOutage.every((a) => a.answeredIn === 'down')).toBe(true);
    expect(duringOutage.filter((a) => !isProblem503(a))).toEqual([]);
    // Commands cut by the shutdown itself are 503s too, never a 500.
    expect(load.answers.filter((a) => a.status >= 500 && !isProblem503(a))).toEqual([]);

    await cluster.start();
    phase = 'back';
    // No restart of the service: the pool connects again by itself.
    await eventually(async () => (await fetch(`${app.baseUrl}/readyz`)).status === 200, '/readyz green again', 30_000);
    const resumed = startLoad(app, 2, () => phase);
    await eventually(async () => resumed.answers.filter((a) => a.status === 201).length >= 4, 'commands answered after the outage', 30_000);
    await resumed.stop();
    expect(resumed.answers.filter((a) => a.status >= 300)).toEqual([]);

    const acknowledged = await expectAcknowledgedInAuditTrail([...load.answers, ...resumed.answers]);
    console.info(
      `PostgreSQL stopped: ${duringOutage.length} commands during the outage, all 503; ${acknowledged} acknowledged before and after, all in the audit trail`,
    );
  }, 90_000);

  it('frozen (SIGSTOP: sockets open, no answers): requests get a 503 within the timeouts instead of hanging', async () => {
    let phase: Phase = 'up';
    const load = startLoad(app, 3, () => phase);
    await eventually(async () => load.answers.filter((a) => a.status === 201).length >= 4, 'commands answered before the freeze', 30_000);

    cluster.freeze();
    phase = 'down';
    try {
      // Requests already on a connection wait for their statement; new ones for a connection:
      // both are given up at the configured bounds and answered 503 while the server is still frozen.
      await eventually(async () => load.answers.filter((a) => a.startedIn === 'down').length >= 6, '6 commands answered while frozen', 45_000);
      const ready = await fetch(`${app.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      await load.stop();
      expect(load.inFlight()).toBe(0);
    } finally {
      cluster.thaw();
    }
    phase = 'back';
    const duringFreeze = load.answers.filter((a) => a.startedIn === 'down');
    expect(duringFreeze.length).toBeGreaterThanOrEqual(6);
    expect(duringFreeze.filter((a) => a.answeredIn !== 'down' || !isProblem503(a))).toEqual([]);

    await eventually(async () => (await fetch(`${app.baseUrl}/readyz`)).status === 200, '/readyz green again', 30_000);
    const resumed = startLoad(app, 2, () => phase);
    await eventually(async () => resumed.answers.filter((a) => a.status === 201).length >= 4, 'commands answered after the freeze', 30_000);
    await resumed.stop();
    expect(resumed.answers.filter((a) => a.status >= 300)).toEqual([]);
    await expectAcknowledgedInAuditTrail([...load.answers, ...resumed.answers]);
  }, 90_000);
});

describe('Redis and the SMTP server fail while the service runs', () => {
  let database: TestDatabase;
  let redis: TestRedisServer;
  let app: TestApp;
  let api: ReturnType<typeof apiClient>;
  let sink: SmtpSink;
  let mailer: Mailer;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    redis = new TestRedisServer();
    [database] = await Promise.all([createTestDatabase(), redis.start()]);
    app = await startTestApp(database.db);
    api = apiClient(app.baseUrl);
    sink = new SmtpSink();
    mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
    collectConnectionErrors(sink);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    sink.failing = false;
  });

  afterAll(async () => {
    mailer?.close();
    await sink?.stop();
    await app?.close();
    await database?.drop();
    await redis?.destroy();
  });

  /** Creates and submits projects through the API; every answer must be a success. */
  async function submitProjects(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const created = await api('POST', '/api/v1/projects', { token: app.users.applicant.token, body: sampleProposal() });
      expect(created.status).toBe(201);
      await uploadMaterialsOverHttp(app.baseUrl, () => app.users.applicant.token, created.body.id, 'SUBMIT');
      const submitted = await api('POST', `/api/v1/projects/${created.body.id}/events`, { token: app.users.applicant.token, body: { type: 'SUBMIT' } });
      expect(submitted.status).toBe(200);
      ids.push(created.body.id);
    }
    return ids;
  }

  /** The review-task emails of these projects, as recorded and as received: each Message-ID must arrive once. */
  async function taskMailsOf(projectIds: string[]) {
    const deliveries = await app.db.query<{ delivery_key: string; message_id: string; status: string; attempts: number; error: string | null }>(
      `SELECT d.delivery_key, d.message_id, d.status, d.attempts, d.error FROM deliveries d
         JOIN tasks t ON d.delivery_key LIKE 'task.' || t.id || '.%' WHERE t.project_id = ANY($1::uuid[]) ORDER BY d.delivery_key`,
      [projectIds],
    );
    const ids = new Set(deliveries.map((row) => row.message_id));
    const received = new Map<string, number>();
    for (const mail of sink.received) if (ids.has(mail.messageId)) received.set(mail.messageId, (received.get(mail.messageId) ?? 0) + 1);
    return { deliveries, received };
  }

  async function openTasksOf(projectIds: string[]): Promise<number> {
    const rows = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE project_id = ANY($1::uuid[]) AND status = 'open'`, [projectIds]);
    return rows[0]!.n;
  }

  it('Redis stopped: commands still succeed (the outbox fills up); the workers catch up when it returns; nothing lost or doubled', async () => {
    const workers = await startTestWorkers(app, mailer, { names: ['relay', 'effects'], redisUrl: redis.url });
    cleanups.push(() => workers.stop());
    const before = await submitProjects(2);
    await eventually(async () => (await taskMailsOf(before)).received.size >= 2, 'review-task emails before the outage');

    await redis.shutdown();
    const during = await submitProjects(8);
    // The commands are in PostgreSQL with their effects waiting in the outbox, none handed on.
    const pending = await app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE project_id = ANY($1::uuid[]) AND relayed_at IS NULL AND topic = 'task.open'`,
      [during],
    );
    expect(pending[0]!.n).toBe(8);
    expect(await openTasksOf(during)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));

    await redis.start();
    await eventually(async () => (await openTasksOf(during)) === 8, 'the 8 review tasks opened after Redis returned', 30_000);
    const expected = async () => {
      const { deliveries, received } = await taskMailsOf(during);
      return deliveries.length >= 8 && deliveries.every((row) => row.status === 'sent') && received.size === deliveries.length && { deliveries, received };
    };
    const { deliveries, received } = await eventually(expected, 'every review-task email sent after Redis returned', 30_000);
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    expect(deliveries.every((row) => row.attempts === 1)).toBe(true);
    const relayed = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE project_id = ANY($1::uuid[]) AND relayed_at IS NULL`, [during]);
    expect(relayed[0]!.n).toBe(0);
    // The projects from before the outage got nothing again.
    const earlier = await taskMailsOf(before);
    expect([...earlier.received.values()]).toEqual(earlier.deliveries.map(() => 1));
  }, 90_000);

  it('SMTP refusing for 10 minutes (test clock): failures recorded and an alert listed while it lasts, every email delivered exactly once afterwards', async () => {
    sink.failing = true;
    // Effects more than 5 minutes behind raise the alert (the setting under test; 30 by default).
    const effects = { ...DEFAULT_EFFECT_BOUNDS, behindAlertMinutes: 5 };
    const workers = await startTestWorkers(app, mailer, { names: ['relay', 'effects'], redisUrl: redis.url, attempts: 12, backoffMs: 50, effects });
    cleanups.push(() => workers.stop());
    // The outbox stamps rows with the database's clock: the service's clock starts there.
    app.clock.set(new Date());
    const outageStart = app.clock.now().getTime();
    const projects = await submitProjects(3);
    await eventually(async () => (await openTasksOf(projects)) === 3, 'the 3 review tasks opened');
    // Ten minutes of refusals on the service's clock, with the workers trying again meanwhile.
    const refusedTwice = async () => {
      const { deliveries } = await taskMailsOf(projects);
      return deliveries.length >= 3 && deliveries.every((row) => row.status === 'sending' && row.attempts >= 2 && /451|try again later/.test(row.error ?? '')) && deliveries;
    };
    for (let minute = 1; minute <= 10; minute += 1) {
      app.clock.set(new Date(outageStart + minute * 60_000));
      if (minute === 5) await eventually(refusedTwice, 'every email refused at least twice');
    }
    const refused = await eventually(refusedTwice, 'every email refused at least twice');
    expect(sink.received.filter((mail) => refused.some((row) => row.message_id === mail.messageId))).toEqual([]);
    expect(await openTasksOf(projects)).toBe(3);
    // The watch pass the reconciler runs: ten minutes behind is past the bound, so an admin sees it.
    await workers.watch();
    const alerts = await api('GET', '/api/v1/alerts', { token: app.users.admin.token });
    expect(alerts.status).toBe(200);
    const behind = alerts.body.items.filter((alert: { kind: string }) => alert.kind === 'effects.behind');
    expect(behind).toHaveLength(1);
    expect(behind[0]).toMatchObject({ severity: 'red' });

    sink.failing = false;
    const delivered = await eventually(async () => {
      const { deliveries, received } = await taskMailsOf(projects);
      return deliveries.every((row) => row.status === 'sent') && received.size === deliveries.length && { deliveries, received };
    }, 'every email delivered after the SMTP server accepts again', 30_000);
    expect(delivered.deliveries.length).toBe(refused.length);
    expect([...delivered.received.values()].every((count) => count === 1)).toBe(true);
    expect(delivered.deliveries.every((row) => row.error === null)).toBe(true);
  }, 90_000);

});
