import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import type { Database } from '../../src/store/database.ts';
import { TestPgCluster } from '../support/pg-cluster.ts';
import { apiClient, sampleProposal, startTestApp, type ApiResponse, type TestApp } from '../support/test-app.ts';
import { eventually } from '../support/test-workers.ts';

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
  command: 'create' | 'submit';
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

  /** Every command answered 2xx is in the audit trail: created projects with their PROPOSE, submits with their SUBMIT. */
  async function expectAcknowledgedInAuditTrail(answers: Answer[]) {
    const acknowledged = answers.filter((answer) => answer.status === 200 || answer.status === 201);
    expect(acknowledged.length).toBeGreaterThan(0);
    const rows = await db.query<{ project_id: string; event_type: string }>(
      `SELECT project_id, event_type FROM project_events WHERE project_id = ANY($1::uuid[])`,
      [[...new Set(acknowledged.map((answer) => answer.projectId!))]],
    );
    const recorded = new Set(rows.map((row) => `${row.project_id}.${row.event_type}`));
    const missing = acknowledged.filter((answer) => !recorded.has(`${answer.projectId}.${answer.command === 'create' ? 'PROPOSE' : 'SUBMIT'}`));
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
