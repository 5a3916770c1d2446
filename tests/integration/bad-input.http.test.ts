import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, sampleProposal, startTestApp, type TestApp } from '../support/test-app.ts';

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

async function counts() {
  const rows = await app.db.query<{ projects: number; events: number; outbox: number }>(
    `SELECT (SELECT count(*) FROM projects)::int8 AS projects, (SELECT count(*) FROM project_events)::int8 AS events,
            (SELECT count(*) FROM outbox)::int8 AS outbox`,
  );
  return rows[0]!;
}

const { title: _title, ...withoutTitle } = sampleProposal();

/** [case, body, the fields the 400 must name] */
const PROPOSAL_CASES: [string, unknown, string[]][] = [
  ['missing title', withoutTitle, ['title']],
  ['missing everything', {}, ['title', 'item', 'requestedFen', 'periodStart', 'periodEnd']],
  ['item as text', sampleProposal({ item: 'five' }), ['item']],
  ['unknown item', sampleProposal({ item: 14 }), ['item']],
  ['item zero', sampleProposal({ item: 0 }), ['item']],
  ['money as a float', sampleProposal({ requestedFen: 1000.5 }), ['requestedFen']],
  ['negative money', sampleProposal({ requestedFen: -100 }), ['requestedFen']],
  ['zero money', sampleProposal({ requestedFen: 0 }), ['requestedFen']],
  ['money above 10^15 fen', sampleProposal({ requestedFen: 1e15 + 1 }), ['requestedFen']],
  ['money as a string', sampleProposal({ requestedFen: '1000' }), ['requestedFen']],
  ['dates in the wrong order', sampleProposal({ periodStart: '2025-09-30', periodEnd: '2024-10-01' }), ['periodEnd']],
  ['an impossible date', sampleProposal({ periodStart: '2024-13-01' }), ['periodStart']],
  ['a credit code failing its check character', sampleProposal({ beneficiaryCreditCode: '91350100M000100Y44' }), ['beneficiaryCreditCode']],
  ['an indicator without a target', sampleProposal({ targets: [{ id: 'X', level: '产出', subLevel: '数量', name: 'n', comparator: '>=', weight: 100 }] }), ['targets.0.targetValue']],
  ['an indicator with a wrong second level', sampleProposal({ targets: [{ id: 'X', level: '效益', subLevel: '数量', name: 'n', comparator: 'qualitative', weight: 100 }] }), ['targets.0.subLevel']],
  ['an array body', [1, 2], ['(body)']],
];

describe('bad input on POST /api/v1/projects', () => {
  it.each(PROPOSAL_CASES)('%s: 400 naming the field, nothing written', async (_name, body, fields) => {
    const before = await counts();
    const response = await api('POST', '/api/v1/projects', { token: app.users.applicant.token, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const named = (response.body.errors as { field: string }[]).map((error) => error.field);
    for (const field of fields) expect(named).toContain(field);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
    expect(await counts()).toEqual(before);
  });

  it('a 1 MB body gets 413', async () => {
    const before = await counts();
    const response = await api('POST', '/api/v1/projects', {
      token: app.users.applicant.token,
      body: sampleProposal({ description: 'x'.repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await counts()).toEqual(before);
  });

  it('a wrong content type gets 415', async () => {
    const response = await api('POST', '/api/v1/projects', {
      token: app.users.applicant.token,
      rawBody: JSON.stringify(sampleProposal()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(415);
  });

  it('malformed JSON gets 400', async () => {
    const response = await api('POST', '/api/v1/projects', {
      token: app.users.applicant.token,
      rawBody: '{"title": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('(body)');
  });

  it('bad query parameters get 400 naming them', async () => {
    const response = await api('GET', '/api/v1/projects?item=99&limit=0&cursor=zzz', { token: app.users.center.token });
    expect(response.status).toBe(400);
    const named = response.body.errors.map((error: { field: string }) => error.field);
    expect(named).toEqual(expect.arrayContaining(['item', 'limit']));
  });
});

describe('bad input on POST /api/v1/projects/:id/events', () => {
  let projectId: string;
  beforeAll(async () => {
    projectId = (await driveTo(app, 'deviated-corrected.correcting')).id;
  });

  const EVENT_CASES: [string, string, unknown, string[]][] = [
    ['an unknown event type', 'supervisor', { type: 'TELEPORT' }, ['type']],
    ['no type', 'supervisor', { reason: 'x' }, ['type']],
    ['a missing reason', 'supervisor', { type: 'SUSPEND' }, ['reason']],
    ['an empty reason', 'supervisor', { type: 'SUSPEND', reason: '   ' }, ['reason']],
    ['a float disbursement', 'finance', { type: 'DISBURSE', amountFen: 0.5 }, ['amountFen']],
    ['an extension without a date', 'supervisor', { type: 'EXTEND_DEADLINE', deadline: 'correction', reason: 'x' }, ['newDate']],
    ['a deviation without a due date', 'supervisor', { type: 'CONCLUDE_INSPECTION', outcome: 'deviation', correction: 'x' }, ['dueDate']],
    ['an unknown outcome', 'supervisor', { type: 'CONCLUDE_INSPECTION', outcome: 'fine' }, ['outcome']],
    ['a correction with neither text nor evidence', 'applicant', { type: 'SUBMIT_CORRECTION' }, ['text']],
  ];

  it.each(EVENT_CASES)('%s: 400 naming the field, nothing written', async (_name, role, body, fields) => {
    const before = await counts();
    const response = await api('POST', `/api/v1/projects/${projectId}/events`, { token: app.users[role as 'supervisor'].token, body });
    expect(response.status).toBe(400);
    const named = (response.body.errors as { field: string }[]).map((error) => error.field);
    for (const field of fields) expect(named).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('a project id that is not a UUID gets 400; an unknown one 404', async () => {
    expect((await api('GET', '/api/v1/projects/nope', { token: app.users.center.token })).status).toBe(400);
    expect((await api('GET', '/api/v1/projects/00000000-0000-4000-8000-000000000000', { token: app.users.center.token })).status).toBe(404);
  });

  it('a bad If-Match gets 400; a stale one 409', async () => {
    const view = await api('GET', `/api/v1/projects/${projectId}`, { token: app.users.center.token });
    const bad = await api('POST', `/api/v1/projects/${projectId}/events`, {
      token: app.users.applicant.token,
      headers: { 'if-match': 'yesterday' },
      body: { type: 'SUBMIT_CORRECTION', text: 'x' },
    });
    expect(bad.status).toBe(400);
    const stale = await api('POST', `/api/v1/projects/${projectId}/events`, {
      token: app.users.applicant.token,
      headers: { 'if-match': `"${view.body.version - 1}"` },
      body: { type: 'SUBMIT_CORRECTION', text: 'x' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(view.body.version);
  });
});
