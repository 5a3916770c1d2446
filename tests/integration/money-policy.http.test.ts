import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_POLICIES } from '../../src/domain/authorization.ts';
import { verifyAudit } from '../../src/usecases/audit/verify-audit.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

/** Recoveries as audited, idempotent events; one read policy for money data. Real PostgreSQL, real HTTP. */
let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const recoveries = (projectId: string) =>
  app.db.query<{ amount_fen: number; event_type: string | null; event_seq: number | null }>(
    `SELECT amount_fen, event_type, event_seq FROM ledger_entries WHERE project_id = $1 AND kind = 'recover' ORDER BY id`,
    [projectId],
  );
const recoveryEvents = (projectId: string) =>
  app.db.query<{ seq: number; reason: string; payload: { amountFen: number } }>(
    `SELECT seq, reason, payload FROM project_events WHERE project_id = $1 AND event_type = 'RECORD_RECOVERY' ORDER BY seq`,
    [projectId],
  );

describe('a recovery is an audited event with Idempotency-Key', () => {
  it('the same key and body replays the first answer: one ledger entry, one audit event, in the hash chain', async () => {
    const project = await driveTo(app, 'executing');
    const send = (body: unknown, key?: string) =>
      api('POST', `/api/v1/projects/${project.id}/recoveries`, { token: app.users.finance.token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
    const first = await send({ amountFen: 2_000, reason: '审计追回' }, 'recover-1');
    expect(first.status).toBe(201);
    const again = await send({ amountFen: 2_000, reason: '审计追回' }, 'recover-1');
    expect([again.status, again.body]).toEqual([201, first.body]);
    expect(await recoveries(project.id)).toHaveLength(1);
    const events = await recoveryEvents(project.id);
    expect(events).toEqual([{ seq: first.body.auditSeq, reason: '审计追回', payload: expect.objectContaining({ amountFen: 2_000 }) }]);
    expect((await recoveries(project.id))[0]).toMatchObject({ event_type: 'RECORD_RECOVERY', event_seq: first.body.auditSeq });
    // The same key with another body is refused and writes nothing.
    const other = await send({ amountFen: 3_000, reason: '审计追回' }, 'recover-1');
    expect(other.status).toBe(422);
    expect(await recoveries(project.id)).toHaveLength(1);
    expect(await verifyAudit({ db: app.db }, { project: project.id })).toMatchObject({ ok: true });
  });

  it('without a key, two POSTs are two recoveries, both audited; a refused one writes neither entry nor event', async () => {
    const project = await driveTo(app, 'executing');
    const send = (amountFen: number) => api('POST', `/api/v1/projects/${project.id}/recoveries`, { token: app.users.finance.token, body: { amountFen, reason: '追回' } });
    expect((await send(1_000)).status).toBe(201);
    expect((await send(1_000)).status).toBe(201);
    expect((await send(99_000_000)).status).toBe(422);
    expect(await recoveries(project.id)).toHaveLength(2);
    expect(await recoveryEvents(project.id)).toHaveLength(2);
    const history = await api('GET', `/api/v1/projects/${project.id}/history`, { token: app.users.finance.token });
    expect(history.body.events.filter((event: { type: string }) => event.type === 'RECORD_RECOVERY')).toHaveLength(2);
    expect(await verifyAudit({ db: app.db }, { project: project.id })).toMatchObject({ ok: true });
  });

  it('only finance records one: 403 for others, before the body is read', async () => {
    const project = await driveTo(app, 'executing');
    expect((await api('POST', `/api/v1/projects/${project.id}/recoveries`, { token: app.users.center.token, body: {} })).status).toBe(403);
  });
});

describe('one read policy for money data', () => {
  const money = ['/api/v1/funds', '/api/v1/ledger', '/api/v1/reports/fund-execution'];
  const readers = ['finance', 'center', 'supervisor', 'leadership', 'authority', 'admin'] as const;
  const refused = ['inspector', 'evaluator', 'applicant'] as const;

  it('the table says who reads money, and every money route follows it', async () => {
    for (const path of money) {
      for (const role of readers) expect([role, path, (await api('GET', path, { token: app.users[role].token })).status]).toEqual([role, path, 200]);
      for (const role of refused) expect([role, path, (await api('GET', path, { token: app.users[role].token })).status]).toEqual([role, path, 403]);
    }
    expect([...READ_POLICIES.money].sort()).toEqual([...readers].sort());
  });
});
