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
    // The app itself exports the age of the oldest effect still owed (read from PostgreSQL, not Redis).
    expect(metrics).toMatch(/^fundflow_oldest_pending_effect_seconds \d+(\.\d+)?$/m);
    expect(metrics).toMatch(/^fundflow_pending_effects\{kind="outbox"\} \d+$/m);
  });

  it('an unknown route is a problem document, not an HTML page', async () => {
    const response = await api('GET', '/nowhere');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

describe('when a dependency is down, or in production', () => {
  it('readyz and the API answer 503 problem documents when PostgreSQL does not answer', async () => {
    const { openPgDatabase } = await import('../../src/store/pg-database.ts');
    const { createApp } = await import('../../src/http/app.ts');
    const unreachable = openPgDatabase('postgres://postgres@127.0.0.1:1/nowhere', 2);
    const { app: down } = createApp({
      engine: { ...app.engine, db: unreachable },
      publicUrl: 'http://localhost',
      bodyLimit: '256kb',
      tokenCacheSeconds: 0,
      logError: () => {},
    });
    const server = down.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { name: string; ok: boolean }[] }).checks).toEqual([expect.objectContaining({ name: 'database', ok: false })]);
      const listing = await fetch(`${base}/api/v1/projects`, { headers: { authorization: `Bearer ${app.users.center.token}` } });
      expect(listing.status).toBe(503);
      expect(listing.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await listing.text()).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      server.close();
      await unreachable.close();
    }
  });

  it('/dev/mail exists only outside production; Bull Board and queue metrics are for admins', async () => {
    const { createApp } = await import('../../src/http/app.ts');
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue('reminders', { connection, prefix: `ffplatform${Date.now()}` });
    const start = async (devPages: boolean) => {
      const { app: built } = createApp({ engine: app.engine, publicUrl: 'http://localhost', bodyLimit: '256kb', tokenCacheSeconds: 0, logError: () => {}, devPages, queues: [queue] });
      const server = built.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
    };
    const production = await start(false);
    const development = await start(true);
    try {
      expect((await fetch(`${production.base}/dev/mail`)).status).toBe(404);
      expect((await fetch(`${development.base}/dev/mail`)).status).toBe(200);
      expect((await fetch(`${production.base}/admin/queues`)).status).toBe(401);
      expect((await fetch(`${production.base}/admin/queues`, { headers: { authorization: `Bearer ${app.users.finance.token}` } })).status).toBe(403);
      const board = await fetch(`${production.base}/admin/queues`, { headers: { authorization: `Bearer ${app.users.admin.token}` } });
      expect(board.status).toBe(200);
      expect(await board.text()).toMatch(/bull/i);
      await queue.add('reminder', { reminderId: 'x' }, { delay: 60_000, jobId: 'platform-probe' });
      const metrics = await fetch(`${production.base}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/fundflow_queue_jobs\{queue="reminders",state="delayed"\} 1/);
      expect(metrics).toMatch(/fundflow_reminder_lag_seconds\{quantile="0.99"\}/);
    } finally {
      production.server.close();
      development.server.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
