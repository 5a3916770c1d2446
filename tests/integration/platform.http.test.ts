import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

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

describe('the platform routes', () => {
  it('healthz and readyz answer; helmet sets its headers', async () => {
    const health = await api('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-powered-by')).toBeNull();
    const ready = await api('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual([{ name: 'database', ok: true }]);
  });

  it('openapi.json is generated from the schemas and /docs renders it', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/projects', '/api/v1/projects/{id}/events', '/api/v1/funds', '/api/v1/public/projects']));
    expect(doc.body.components.schemas.CreateProject.required).toEqual(expect.arrayContaining(['title', 'item', 'requestedFen', 'periodStart', 'periodEnd']));
    expect(doc.body.components.schemas.Event.oneOf).toHaveLength(27);
    const docs = await fetch(`${app.baseUrl}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('metrics count commands by type and outcome, with a latency histogram', async () => {
    const project = await driveTo(app, 'executing');
    await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.supervisor.token, body: { type: 'SUSPEND', reason: '测试' } });
    await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.supervisor.token, body: { type: 'SUSPEND', reason: '测试' } });
    const metrics = await fetch(`${app.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/fundflow_commands_total\{type="SUSPEND",outcome="applied"\} 1/);
    expect(metrics).toMatch(/fundflow_commands_total\{type="SUSPEND",outcome="422"\} 1/);
    expect(metrics).toMatch(/fundflow_command_duration_seconds_bucket\{le="0.1",type="SUSPEND"\}/);
  });

  it('an unknown route is a problem document, not an HTML page', async () => {
    const response = await api('GET', '/nowhere');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
