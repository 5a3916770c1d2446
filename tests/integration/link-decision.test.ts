import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import { verifyAudit } from '../../src/usecases/audit/verify-audit.ts';
import { issueLink, openTask } from '../../src/store/tasks.store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The email-link decision as ONE transaction, the nonce bound to its token, link_visits kept
 * bounded, self-delegation refused: against real PostgreSQL through real HTTP.
 */
let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
let secondCenter: DirectoryUser;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  secondCenter = await addStaffUser(app.db, await ensureStandardOrganisations(app.db), 'center', `c2-${Math.random()}@yc.test`, '第二位 中心用户');
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' };
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A project in review with an open task of `kind` for `role`, and a link per recipient. */
async function taskWithLinks(role: 'center' | 'finance', recipients: DirectoryUser[], kind = 'review', state = 'proposed.review') {
  const project = await driveTo(app, state);
  const task = await openTask(app.db, { projectId: project.id, seq: project.version, kind, role, step: null, orgId: null, dueDate: '2030-01-01', now: app.clock.now() });
  const links: string[] = [];
  for (const user of recipients) {
    links.push(await issueLink(app.db, { taskId: task.id, userId: user.id, expiresAt: new Date(app.clock.now().getTime() + 7 * 86_400_000), now: app.clock.now() }));
  }
  return { project, task, links };
}

async function open(token: string, cookie = 'seen=1') {
  const response = await fetch(`${app.baseUrl}/t/${token}`, { headers: { ...BROWSER, cookie } });
  const html = await response.text();
  const set = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { status: response.status, html, cookie: set, nonce: /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

async function post(token: string, form: Record<string, string>, cookie: string) {
  const response = await fetch(`${app.baseUrl}/t/${token}`, {
    method: 'POST',
    headers: { ...BROWSER, 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, html: await response.text() };
}

const linkRow = async (token: string) =>
  (await app.db.query<{ used_at: Date | null; revoked_at: Date | null }>('SELECT used_at, revoked_at FROM task_links WHERE token_hash = $1', [hashOf(token)]))[0]!;
const projectRow = async (id: string) => (await app.db.query<{ version: number; state: string }>('SELECT version, state FROM projects WHERE id = $1', [id]))[0]!;
const emailEvents = async (id: string) => (await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM project_events WHERE project_id = $1 AND channel = 'email'`, [id]))[0]!.n;

describe('the email-link decision is one transaction', () => {
  it('a refusal by the engine leaves the link usable and the project untouched; the link then acts once', async () => {
    // A finance task while the project waits on the center step: the engine refuses finance's APPROVE.
    const { project, links } = await taskWithLinks('finance', [app.users.finance]);
    const [token] = links as [string];
    const page = await open(token);
    expect(page.status).toBe(200);
    const before = await projectRow(project.id);
    const refused = await post(token, { decision: 'approve', nonce: page.nonce }, page.cookie);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('链接仍可使用');
    expect(await linkRow(token)).toMatchObject({ used_at: null, revoked_at: null });
    expect(await projectRow(project.id)).toEqual(before);
    expect(await emailEvents(project.id)).toBe(0);
    // The center approves through the API; now the same link works, once.
    expect((await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.center.token, body: { type: 'APPROVE' } })).status).toBe(200);
    const again = await open(token, page.cookie);
    expect(again.status).toBe(200);
    const acted = await post(token, { decision: 'approve', nonce: again.nonce }, page.cookie);
    expect(acted.status).toBe(200);
    expect((await linkRow(token)).used_at).not.toBeNull();
    expect(await emailEvents(project.id)).toBe(1);
  });

  it('two POSTs of the same form at once: exactly one acts, the other is told the link was just used; the other recipients lose their links in the same commit', async () => {
    const { project, links } = await taskWithLinks('center', [app.users.center, secondCenter]);
    const [mine, colleague] = links as [string, string];
    const page = await open(mine);
    const before = await projectRow(project.id);
    const answers = await Promise.all([1, 2, 3].map(() => post(mine, { decision: 'approve', nonce: page.nonce }, page.cookie)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410, 410]);
    expect((await projectRow(project.id)).version).toBe(before.version + 1);
    expect(await emailEvents(project.id)).toBe(1);
    expect((await linkRow(colleague)).revoked_at).not.toBeNull();
    expect((await open(colleague)).status).toBe(410);
    const audit = await verifyAudit({ db: app.db }, { project: project.id });
    expect(audit).toMatchObject({ ok: true, projectsChecked: 1 });
  });
});

describe('the form nonce is bound to its token (issue 15)', () => {
  it("task A's cookie and nonce do not act on task B's link, even with the cookie renamed to B's; B's own do", async () => {
    const a = await taskWithLinks('center', [app.users.center]);
    const b = await taskWithLinks('center', [app.users.center]);
    const [tokenA] = a.links as [string];
    const [tokenB] = b.links as [string];
    const pageA = await open(tokenA);
    const valueA = pageA.cookie.split('=').slice(1).join('=');
    const renamed = `ff_link_${hashOf(tokenB).slice(0, 16)}=${valueA}`;
    for (const cookie of [pageA.cookie, renamed]) {
      const forged = await post(tokenB, { decision: 'approve', nonce: pageA.nonce }, cookie);
      expect(forged.status).toBe(403);
      expect(forged.html).toContain('表单已失效');
    }
    expect((await linkRow(tokenB)).used_at).toBeNull();
    expect(await projectRow(b.project.id)).toMatchObject({ version: b.project.version });
    const pageB = await open(tokenB);
    expect((await post(tokenB, { decision: 'approve', nonce: pageB.nonce }, pageB.cookie)).status).toBe(200);
  });
});

describe('link_visits', () => {
  const visits = async () => (await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_visits'))[0]!.n;

  it('records nothing for an unknown or malformed token', async () => {
    const before = await visits();
    for (const path of [`/t/${randomBytes(32).toString('base64url')}`, '/t/not-a-token', `/t/${'x'.repeat(300)}`]) {
      expect((await fetch(`${app.baseUrl}${path}`, { headers: BROWSER })).status).toBe(404);
      expect((await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=approve&nonce=x' })).status).toBe(404);
    }
    expect(await visits()).toBe(before);
  });

  it('prunes visits older than the retention when a new one is recorded', async () => {
    const { links } = await taskWithLinks('center', [app.users.center]);
    const old = new Date(app.clock.now().getTime() - 100 * 86_400_000);
    const recent = new Date(app.clock.now().getTime() - 10 * 86_400_000);
    await app.db.query(`INSERT INTO link_visits (token_hash, method, user_agent, automated, outcome, at) VALUES ('old', 'GET', null, true, 'shown', $1), ('recent', 'GET', null, true, 'shown', $2)`, [old.toISOString(), recent.toISOString()]);
    expect((await open(links[0]!)).status).toBe(200);
    const left = await app.db.query<{ token_hash: string }>(`SELECT token_hash FROM link_visits WHERE token_hash IN ('old', 'recent', $1)`, [hashOf(links[0]!)]);
    expect(left.map((row) => row.token_hash).sort()).toEqual([hashOf(links[0]!), 'recent'].sort());
  });
});

describe('delegation', () => {
  it('refuses delegating to yourself (400 naming userId) and leaves every link as it was; to a colleague it revokes the unused links', async () => {
    const { task, links } = await taskWithLinks('center', [app.users.center, secondCenter]);
    const self = await api('POST', `/api/v1/tasks/${task.id}/delegate`, { token: app.users.center.token, body: { userId: app.users.center.id } });
    expect(self.status).toBe(400);
    expect(self.body.errors.map((error: { field: string }) => error.field)).toEqual(['userId']);
    for (const token of links) expect(await linkRow(token)).toMatchObject({ used_at: null, revoked_at: null });
    const handed = await api('POST', `/api/v1/tasks/${task.id}/delegate`, { token: app.users.center.token, body: { userId: secondCenter.id } });
    expect(handed.status).toBe(200);
    for (const token of links) expect((await linkRow(token)).revoked_at).not.toBeNull();
  });
});

describe('the email-link page reads as Chinese', () => {
  it('event and channel names in Chinese, Beijing time, no raw codes', async () => {
    const { links } = await taskWithLinks('center', [app.users.center]);
    const { html } = await open(links[0]!);
    const history = html.slice(html.indexOf('办理记录'));
    expect(history).toContain('提交申报');
    expect(history).toContain('创建申报');
    expect(history).toContain('系统接口');
    expect(history).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
    for (const raw of ['>SUBMIT<', '>PROPOSE<', '>api<', '>cli<', '>email<', 'UTC']) expect(history).not.toContain(raw);
  });

  it('an evaluation review shows the score table, the grade and the report text, with the buttons WORDING.md names', async () => {
    const { links } = await taskWithLinks('finance', [app.users.finance], 'review-evaluation', 'evaluated.finance-review');
    const { status, html } = await open(links[0]!);
    expect(status).toBe(200);
    expect(html).toContain('绩效评价评分表');
    expect(html).toContain('举办培训场次');
    expect(html).toMatch(/综合得分 \/ 评价等级：<\/strong>\d+\.\d{2} 分 \/ (优|良|中|差)/);
    for (const section of ['基本情况', '评价工作开展情况', '综合评价结论', '绩效分析', '存在问题', '建议']) expect(html).toContain(`<h3>${section}</h3>`);
    expect(html).toContain('审查通过');
    expect(html).toContain('组织再评价');
  });
});
