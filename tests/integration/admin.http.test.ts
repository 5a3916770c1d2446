import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { addApplicantUser, addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import { hashToken } from '../../src/store/users.store.ts';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { startAuthTestServer, type AuthTestServer } from '../support/auth-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { SmtpSink, type ReceivedMail } from '../support/smtp-sink.ts';
import { apiClient, sampleProposal } from '../support/test-app.ts';
import { eventually } from '../support/test-workers.ts';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { createApp } from '../../src/http/app.ts';

let database: TestDatabase;
let sink: SmtpSink;
let mailer: Mailer;
let server: AuthTestServer;
let api: ReturnType<typeof apiClient>;
let orgs: Awaited<ReturnType<typeof ensureStandardOrganisations>>;
const staff = {} as Record<'admin' | 'center' | 'finance' | 'supervisor', DirectoryUser>;

beforeAll(async () => {
  database = await createTestDatabase();
  sink = new SmtpSink();
  mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
  orgs = await ensureStandardOrganisations(database.db);
  for (const role of ['admin', 'center', 'finance', 'supervisor'] as const) staff[role] = await addStaffUser(database.db, orgs, role, `${role}-${Math.random()}@yc.test`, `${role} 同事`);
  server = await startAuthTestServer(database.db, mailer, { signInLimits: { requestsPerEmail: 1000, requestsPerIp: 1000, codeAttempts: 1000 } });
  api = apiClient(server.baseUrl);
});
afterAll(async () => {
  await server?.close();
  mailer?.close();
  await sink?.stop();
  await database?.drop();
});

const VALID_CODE = '91140522MA0GRY8H92';
const mailTo = (email: string, after = 0) => eventually<ReceivedMail>(async () => sink.received.slice(after).find((mail) => mail.to.includes(email)), `mail to ${email}`);
const codeOf = (mail: ReceivedMail) => /验证码 (\d{6})/.exec(mail.text)?.[1] ?? '';

async function sessionOf(email: string, mail: ReceivedMail) {
  const reply = await api('POST', '/api/v1/auth/sessions', { body: { email, code: codeOf(mail) } });
  expect(reply.status).toBe(201);
  return reply.headers.getSetCookie().find((line) => line.startsWith('ff_session='))!.split(';')[0]!;
}

describe('人员与单位 (admin API)', () => {
  it('only admins list and create organisations and users; others get 403, anonymous 401', async () => {
    for (const role of ['center', 'finance', 'supervisor'] as const) {
      expect((await api('GET', '/api/v1/admin/users', { token: staff[role].token })).status).toBe(403);
      expect((await api('POST', '/api/v1/admin/orgs', { token: staff[role].token, body: { name: '某单位', kind: 'unit' } })).status).toBe(403);
      expect((await api('POST', '/api/v1/admin/users/' + staff.center.id + '/tokens', { token: staff[role].token, body: { label: 'x' } })).status).toBe(403);
    }
    expect((await api('GET', '/api/v1/admin/orgs')).status).toBe(401);
    const users = await api('GET', '/api/v1/admin/users', { token: staff.admin.token });
    expect(users.status).toBe(200);
    expect(users.body.items.find((user: { id: string }) => user.id === staff.finance.id)).toMatchObject({ role: 'finance', orgName: '阳城县财政局', active: true, liveTokens: 1 });
  });

  it('an organisation’s 统一社会信用代码 is checked: a wrong check character is a 400 naming creditCode', async () => {
    const bad = await api('POST', '/api/v1/admin/orgs', { token: staff.admin.token, body: { name: '阳城县某新材料有限公司', kind: 'enterprise', creditCode: '91140522MA0GRY8H93' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'creditCode', message: expect.stringMatching(/校验码/) })]);
    const kind = await api('POST', '/api/v1/admin/orgs', { token: staff.admin.token, body: { name: '阳城县某新材料有限公司', kind: 'shop' } });
    expect(kind.body.errors[0].field).toBe('kind');
    const ok = await api('POST', '/api/v1/admin/orgs', { token: staff.admin.token, body: { name: '阳城县某新材料有限公司', kind: 'enterprise', creditCode: VALID_CODE.toLowerCase() } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'enterprise', creditCode: VALID_CODE });
    const again = await api('POST', '/api/v1/admin/orgs', { token: staff.admin.token, body: { name: '阳城县某新材料有限公司', kind: 'enterprise' } });
    expect(again.body.errors[0].field).toBe('name');
    expect((await api('GET', '/api/v1/admin/orgs', { token: staff.admin.token })).body.items.map((org: { name: string }) => org.name)).toContain('阳城县某新材料有限公司');
  });

  it('invites by email: the invitation is a sign-in link in official Chinese, and its code opens a session', async () => {
    const email = `invitee-${Math.random()}@yc.test`;
    const before = sink.received.length;
    const created = await api('POST', '/api/v1/admin/users', { token: staff.admin.token, body: { email, name: '李明', role: 'inspector', orgId: orgs.center!.id } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, role: 'inspector', active: true, invitation: { sent: true } });
    const mail = await mailTo(email, before);
    expect(mail.subject).toBe('【阳城县奖励资金】账号开通通知');
    expect(mail.text).toMatch(/^李明同志，您好：/);
    expect(mail.text).toContain('角色：监督检查人员');
    expect(mail.text).toMatch(/\/sign-in\/[A-Za-z0-9_-]{43}/);
    expect(mail.text).toMatch(/（北京时间）前有效/);
    expect(mail.text.trim().endsWith('阳城县中小企业发展促进中心')).toBe(true);
    const cookie = await sessionOf(email, mail);
    const me = await api('GET', '/api/v1/auth/me', { headers: { cookie } });
    expect(me.body.user).toMatchObject({ email, role: 'inspector' });
  });

  it('answers bad input with a 400 naming the field: email, role, orgId; a taken email too', async () => {
    const post = (body: unknown) => api('POST', '/api/v1/admin/users', { token: staff.admin.token, body });
    expect((await post({ email: 'not-an-email', name: '王', role: 'center' })).body.errors[0].field).toBe('email');
    expect((await post({ email: 'a@yc.test', name: '王', role: 'boss' })).body.errors[0].field).toBe('role');
    expect((await post({ email: 'a@yc.test', name: '王', role: 'applicant' })).body.errors[0].field).toBe('orgId');
    expect((await post({ email: 'a@yc.test', name: '王', role: 'center', orgId: '00000000-0000-4000-8000-000000000000' })).body.errors[0].field).toBe('orgId');
    expect((await post({ email: 'a@yc.test', name: '王', role: 'applicant', orgId: orgs.finance!.id })).body.errors[0].field).toBe('orgId');
    const taken = await post({ email: staff.finance.email, name: '王', role: 'center', invite: false });
    expect(taken.status).toBe(400);
    expect(taken.body.errors[0].field).toBe('email');
    const patch = await api('PATCH', `/api/v1/admin/users/${staff.center.id}`, { token: staff.admin.token, body: {} });
    expect(patch.status).toBe(400);
    expect(patch.body.errors[0].field).toBe('role');
    const self = await api('PATCH', `/api/v1/admin/users/${staff.admin.id}`, { token: staff.admin.token, body: { role: 'center' } });
    expect(self.body.errors[0].field).toBe('role');
  });

  it('edits a role: it applies on the very next request of that token', async () => {
    const user = await addStaffUser(database.db, orgs, 'center', `role-${Math.random()}@yc.test`, '赵');
    expect((await api('GET', '/api/v1/funds', { token: user.token })).status).toBe(200);
    const changed = await api('PATCH', `/api/v1/admin/users/${user.id}`, { token: staff.admin.token, body: { role: 'evaluator' } });
    expect(changed.body).toMatchObject({ role: 'evaluator' });
    expect((await api('GET', '/api/v1/funds', { token: user.token })).status).toBe(403);
  });

  it('issues an API token shown once (only its hash is listed) and revokes it at once', async () => {
    const standard = await api('POST', `/api/v1/admin/users/${staff.supervisor.id}/tokens`, { token: staff.admin.token, body: { label: '默认期限' } });
    expect(new Date(standard.body.expiresAt).getTime() - server.clock.now().getTime()).toBe(90 * 86_400_000);
    // The server's clock is a test clock months behind the wall clock that token checks use: a year keeps it live.
    const issued = await api('POST', `/api/v1/admin/users/${staff.supervisor.id}/tokens`, { token: staff.admin.token, body: { label: '报表机器人', expiresInDays: 365 } });
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^ff_/);
    const listed = await api('GET', `/api/v1/admin/users/${staff.supervisor.id}/tokens`, { token: staff.admin.token });
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
    expect(listed.body.items.map((token: { label: string }) => token.label)).toContain('报表机器人');
    expect((await api('GET', '/api/v1/auth/me', { token: issued.body.token })).status).toBe(200);
    expect((await api('POST', '/api/v1/admin/tokens/revoke', { token: staff.admin.token, body: { token: issued.body.token } })).status).toBe(200);
    expect((await api('GET', '/api/v1/auth/me', { token: issued.body.token })).status).toBe(401);
    expect((await api('POST', `/api/v1/admin/users/${staff.supervisor.id}/tokens`, { token: staff.admin.token, body: { label: '' } })).body.errors[0].field).toBe('label');
  });

  it('deactivating ends the session, the API token, the task email link and an unspent invitation at once', async () => {
    const email = `leaver-${Math.random()}@yc.test`;
    const before = sink.received.length;
    const created = await api('POST', '/api/v1/admin/users', { token: staff.admin.token, body: { email, name: '钱', role: 'finance', orgId: orgs.finance!.id } });
    const firstMail = await mailTo(email, before);
    const cookie = await sessionOf(email, firstMail);
    const token = (await api('POST', `/api/v1/admin/users/${created.body.id}/tokens`, { token: staff.admin.token, body: { label: '导出', expiresInDays: 365 } })).body.token;
    const beforeSecond = sink.received.length;
    expect((await api('POST', `/api/v1/admin/users/${created.body.id}/invite`, { token: staff.admin.token })).body).toMatchObject({ sent: true });
    const unspent = await mailTo(email, beforeSecond);
    expect((await api('GET', '/api/v1/auth/me', { headers: { cookie } })).status).toBe(200);
    expect((await api('GET', '/api/v1/funds', { token })).status).toBe(200);
    // An email link of a task of theirs (as the effects worker makes them).
    const unit = await database.db.query<{ id: string }>("INSERT INTO organisations (id, name, kind) VALUES (gen_random_uuid(), '阳城县离职测试单位' || gen_random_uuid(), 'unit') RETURNING id");
    const applicant = await addApplicantUser(database.db, unit[0]!.id, `applicant-${Math.random()}@yc.test`, '申报人');
    const project = await api('POST', '/api/v1/projects', { token: applicant.token, body: sampleProposal() });
    expect(project.status).toBe(201);
    const taskId = randomUUID();
    await database.db.query(`INSERT INTO tasks (id, project_id, kind, role, status, due_date, opened_seq, created_at) VALUES ($1, $2, 'review', 'finance', 'open', '2026-12-31', 1, now())`, [taskId, project.body.id]);
    const linkToken = randomBytes(32).toString('base64url');
    await database.db.query(`INSERT INTO task_links (token_hash, task_id, user_id, expires_at, created_at) VALUES ($1, $2, $3, now() + interval '7 days', now())`, [hashToken(linkToken), taskId, created.body.id]);
    expect(await (await fetch(`${server.baseUrl}/t/${linkToken}`)).text()).not.toContain('链接已失效');

    const deactivated = await api('POST', `/api/v1/admin/users/${created.body.id}/deactivate`, { token: staff.admin.token });
    expect(deactivated.body).toMatchObject({ active: false, tokensRevoked: 1, linksRevoked: 1, sessionsEnded: 1 });
    const linkPage = await (await fetch(`${server.baseUrl}/t/${linkToken}`)).text();
    expect(linkPage).toContain('链接已失效');
    expect(linkPage).toContain('收件人的账号已停用。');
    expect((await api('GET', '/api/v1/auth/me', { headers: { cookie } })).status).toBe(401);
    expect((await api('GET', '/api/v1/funds', { token })).status).toBe(401);
    const late = await api('POST', '/api/v1/auth/sessions', { body: { email, code: codeOf(unspent) } });
    expect(late.status).not.toBe(201);
    const sessions = await database.db.query<{ ended_reason: string }>('SELECT ended_reason FROM sessions WHERE user_id = $1', [created.body.id]);
    expect(sessions.map((row) => row.ended_reason)).toEqual(['user-deactivated']);
    expect((await api('POST', `/api/v1/admin/users/${created.body.id}/invite`, { token: staff.admin.token })).status).toBe(422);
    const listed = (await api('GET', '/api/v1/admin/users', { token: staff.admin.token })).body.items.find((user: { id: string }) => user.id === created.body.id);
    expect(listed).toMatchObject({ active: false, liveTokens: 0 });
  });
});

describe('the rules in force (GET /api/v1/rules)', () => {
  it('shows staff the plan, threshold, cadences, reminders, tranches, weights and 双监控 in Chinese; applicants are refused', async () => {
    const rules = await api('GET', '/api/v1/rules', { token: staff.center.token });
    expect(rules.status).toBe(200);
    const { body } = rules;
    expect(body.plan.documentNumber).toBe('阳政办发〔2024〕74号');
    expect(body.plan.categories).toHaveLength(4);
    expect(body.plan.categories.flatMap((category: { items: unknown[] }) => category.items)).toHaveLength(13);
    expect(body.plan.categories[0].items[0].nameZh).toBe('建设“阳城县企业服务平台”');
    expect(body.approval.leadershipThresholdFen).toBe(50_000_000);
    expect(body.approval.zh).toContain('500,000.00 元');
    expect(body.approval.zh).toContain('县创建领导组');
    expect(body.cadences.find((cadence: { key: string }) => cadence.key === 'inspection')).toMatchObject({ zh: '定期检查周期', days: 90 });
    expect(body.reminders.policies.map((policy: { zh: string }) => policy.zh)).toEqual(expect.arrayContaining(['定期检查', '不定期检查', '偏差整改']));
    expect(body.reminders.policies[0].summaryZh).toMatch(/到期前 7、1 天及到期当天提醒监督检查人员/);
    expect(body.tranche.zh).toContain('项目暂缓执行期间不予拨付');
    expect(body.scoring.levelWeights).toEqual([{ level: '预算执行', points: 10 }, { level: '产出', points: 50 }, { level: '效益', points: 30 }, { level: '满意度', points: 10 }]);
    expect(body.monitoring).toMatchObject({ yellowBehindPoints: 10, redBehindPoints: 20, dailyChecks: { zh: '每天 08:00（北京时间）' }, monthlyReports: { zh: '每月1日 09:00（北京时间）' } });
    // The per-item rules and required materials the engine checks (issue 14), in words.
    const items = body.plan.categories.flatMap((category: { items: { id: number; conditions: { zh: string }[] }[] }) => category.items);
    const conditionsOf = (id: number) => items.find((item: { id: number }) => item.id === id).conditions.map((condition: { zh: string }) => condition.zh).join('|');
    expect(conditionsOf(5)).toContain('开支范围：培训费、外出考察学习费');
    expect(conditionsOf(5)).toContain('每人每天不超过 450.00 元');
    expect(conditionsOf(10)).toContain('方案未规定开支范围');
    expect(conditionsOf(11)).toContain('北交所、科创板、创业板、新三板');
    expect(conditionsOf(12)).toContain('科技型中小企业');
    expect(conditionsOf(13)).toContain('会议纪要');
    const materials = Object.fromEntries(body.materials.events.map((entry: { event: string; zh: string }) => [entry.event, entry]));
    expect(materials.SUBMIT.zh).toBe('申报书；预算明细');
    expect(materials.DISBURSE.zh).toContain('国库支付凭证号');
    expect(materials.DISBURSE.items).toEqual([expect.objectContaining({ item: 1, zh: expect.stringContaining('合同；发票或验收材料') })]);
    expect(materials.CONCLUDE_INSPECTION.zh).toContain('存在偏差或问题严重');
    // No raw codes in what a person reads.
    const words = JSON.stringify([body.approval.zh, body.tranche.zh, body.monitoring.zh, body.reminders.policies.map((policy: { summaryZh: string }) => policy.summaryZh), items.map((item: { conditions: { zh: string }[] }) => item.conditions.map((condition) => condition.zh)), body.materials.events.map((entry: { zh: string }) => entry.zh)]);
    expect(words).not.toMatch(/inspection|applicant|either|UTC|training|invoice|contract|voucher|[a-z]+-[a-z]+/);
    expect((await api('GET', '/api/v1/rules')).status).toBe(401);
  });

  it('refuses applicants (the reminder policies name unannounced inspections)', async () => {
    const unit = await database.db.query<{ id: string }>("INSERT INTO organisations (id, name, kind) VALUES (gen_random_uuid(), '阳城县某镇', 'unit') RETURNING id");
    const created = await api('POST', '/api/v1/admin/users', { token: staff.admin.token, body: { email: `app-${Math.random()}@yc.test`, name: '孙', role: 'applicant', orgId: unit[0]!.id, invite: false } });
    expect(created.status).toBe(201);
    const token = (await api('POST', `/api/v1/admin/users/${created.body.id}/tokens`, { token: staff.admin.token, body: { label: 'x', expiresInDays: 365 } })).body.token;
    expect((await api('GET', '/api/v1/rules', { token })).status).toBe(403);
  });
});

describe('the queue board link on the 人员与单位 page', () => {
  it('opens with an admin’s browser session (not only a bearer token); other roles get 403, and writes stay refused', async () => {
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue('effects', { connection, prefix: `ffadminboard${Date.now()}` });
    const engine = { db: database.db, machine: createProjectMachine(DEFAULT_LIFECYCLE_RULES), rules: DEFAULT_LIFECYCLE_RULES, countyCode: 'YC', now: () => new Date() };
    const { app } = createApp({ engine, publicUrl: 'http://localhost', bodyLimit: '256kb', tokenCacheSeconds: 0, logError: () => {}, queues: [queue], mailer });
    const served = await new Promise<import('node:http').Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const base = `http://127.0.0.1:${(served.address() as import('node:net').AddressInfo).port}`;
    const sessionFor = async (email: string) => {
      const before = sink.received.length;
      expect((await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) })).status).toBe(202);
      const mail = await mailTo(email, before);
      const reply = await fetch(`${base}/api/v1/auth/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, code: codeOf(mail) }) });
      return reply.headers.getSetCookie().find((line) => line.startsWith('ff_session='))!.split(';')[0]!;
    };
    try {
      const adminCookie = await sessionFor(staff.admin.email);
      const board = await fetch(`${base}/admin/queues/api/queues?activeQueue=effects&status=delayed&page=1`, { headers: { cookie: adminCookie } });
      expect(board.status).toBe(200);
      expect((await fetch(`${base}/admin/queues/api/queues`, { headers: { cookie: await sessionFor(staff.center.email) } })).status).toBe(403);
      expect((await fetch(`${base}/admin/queues/api/queues`)).status).toBe(401);
      expect((await fetch(`${base}/admin/queues/api/queues/effects/retry/failed`, { method: 'PUT', headers: { cookie: adminCookie } })).status).toBeGreaterThanOrEqual(400);
    } finally {
      served.closeAllConnections();
      await new Promise<void>((resolve) => served.close(() => resolve()));
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
