import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit-chain.ts';
import { listProjectEvents } from '../../src/store/projects.store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';
import { apiClient, sampleProposal, startTestApp, type TestApp } from '../support/test-app.ts';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  database = await createTestDatabase(20);
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function chainOf(projectId: string) {
  const events = await listProjectEvents(app.db, projectId);
  return verifyChain(
    events.map((event) => ({
      projectId: event.project_id,
      seq: event.seq,
      eventType: event.event_type,
      actorId: event.actor_id,
      actorRole: event.actor_role,
      channel: event.channel,
      fromState: event.from_state,
      toState: event.to_state,
      payload: event.payload,
      reason: event.reason,
      occurredAt: new Date(event.occurred_at).toISOString(),
      prevHash: event.prev_hash,
      hash: event.hash,
    })),
  );
}

describe('50 concurrent conflicting events on one project', () => {
  it('apply exactly once; the rest get 409 or 422; the audit chain stays intact', async () => {
    const project = await driveTo(app, 'executing');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.supervisor.token, body: { type: 'SUSPEND', reason: `并发 ${i}` } }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => [200, 409, 422].includes(status))).toBe(true);
    const view = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token });
    expect(view.body).toMatchObject({ state: 'suspended.held', version: project.version + 1 });
    expect(await chainOf(project.id)).toEqual({ ok: true, checked: project.version + 1 });
  });

  it('with If-Match on the same version, one applies and 49 get 409', async () => {
    const project = await driveTo(app, 'approved');
    // The tranche's materials first (each upload is an audit event, so the version moves on).
    const body = await withMaterialsOverHttp(app, project.id, { type: 'DISBURSE', amountFen: 1_000 });
    const { version } = (await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token })).body;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api('POST', `/api/v1/projects/${project.id}/events`, {
          token: app.users.finance.token,
          headers: { 'if-match': `"${version}"` },
          body,
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409), JSON.stringify(responses.filter((r) => r.status !== 409 && r.status !== 200).map((r) => r.body))).toHaveLength(49);
    const view = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token });
    expect(view.body.context.disbursedFen).toBe(1_000);
    expect(await chainOf(project.id)).toMatchObject({ ok: true });
  });

  it('without If-Match, 50 concurrent progress reports all apply, in one unbroken chain', async () => {
    const project = await driveTo(app, 'executing');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api('POST', `/api/v1/projects/${project.id}/events`, {
          token: app.users.applicant.token,
          body: { type: 'REPORT_PROGRESS', periodStart: '2024-10-01', periodEnd: '2024-10-31', indicators: [{ indicatorId: 'OUT1', value: i }] },
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const applied = 50;
    const view = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token });
    expect(view.body.context.progressReportCount).toBe(applied);
    expect(await chainOf(project.id)).toEqual({ ok: true, checked: project.version + applied });
  });
});

describe('Idempotency-Key', () => {
  it('a retried event applies once and answers the same', async () => {
    const project = await driveTo(app, 'approved');
    const body = await withMaterialsOverHttp(app, project.id, { type: 'DISBURSE', amountFen: 500 });
    const { version } = (await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token })).body;
    const send = () =>
      api('POST', `/api/v1/projects/${project.id}/events`, {
        token: app.users.finance.token,
        headers: { 'idempotency-key': `disburse-${project.id}` },
        body,
      });
    const [first, second] = await Promise.all([send(), send()]);
    const third = await send();
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    const view = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token });
    expect(view.body.version).toBe(version + 1);
    expect(view.body.context.disbursedFen).toBe(500);
    const reused = await api('POST', `/api/v1/projects/${project.id}/events`, {
      token: app.users.finance.token,
      headers: { 'idempotency-key': `disburse-${project.id}` },
      body: { ...body, amountFen: 600 },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency-key-reused');
  });

  it('a retried proposal creates one project', async () => {
    const key = `propose-${Math.random()}`;
    const send = () => api('POST', '/api/v1/projects', { token: app.users.applicant.token, headers: { 'idempotency-key': key }, body: sampleProposal() });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
  });
});

describe('an event the state does not take', () => {
  it('changes nothing and answers 422 naming the state and the events allowed', async () => {
    const project = await driveTo(app, 'proposed.draft');
    const response = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.finance.token, body: { type: 'DISBURSE', amountFen: 1 } });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'event-not-allowed', state: 'proposed.draft' });
    expect(response.body.allowedEvents).toEqual(expect.arrayContaining(['SUBMIT', 'UPDATE_PROPOSAL', 'WITHDRAW']));
    expect(response.body.detail).toContain('草稿');
    expect(response.body.detailEn).toContain('proposed.draft');
  });

  it('a guard refusal names the rule', async () => {
    const project = await driveTo(app, 'approved');
    const response = await api('POST', `/api/v1/projects/${project.id}/events`, {
      token: app.users.finance.token,
      body: { type: 'DISBURSE', amountFen: 99_000_000 },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('guard-refused');
    expect(response.body.detail).toMatch(/剩余可拨付额度/);
    expect(response.body.detailEn).toMatch(/commitment left/);
    const view = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token });
    expect(view.body.version).toBe(project.version);
  });
});
