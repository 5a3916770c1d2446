import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import { smtpMailer } from '../../src/mail/mailer.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { SmtpSink, type ReceivedMail } from '../support/smtp-sink.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
let sink: SmtpSink;
let workers: Awaited<ReturnType<typeof startTestWorkers>>;
let englishCenter: DirectoryUser;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  englishCenter = await addStaffUser(app.db, await ensureStandardOrganisations(app.db), 'center', `en-${Math.random()}@yc.test`, 'Alice', 'en');
  sink = new SmtpSink();
  const url = await sink.start();
  workers = await startTestWorkers(app, smtpMailer(url, 'fundflow <noreply@fundflow.test>'), { publicUrl: app.baseUrl });
});
afterAll(async () => {
  await workers?.stop();
  await sink?.stop();
  await app?.close();
  await database?.drop();
});

const linkIn = (mail: ReceivedMail) => /\/t\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[0];

async function reviewEmails(projectCode: string, count: number) {
  return eventually(async () => {
    const mails = sink.received.filter((mail) => mail.subject.includes(projectCode) && (mail.subject.includes('【阳城县奖励资金】待办：') || mail.subject.includes('Action needed:')));
    return mails.length >= count && mails;
  }, `${count} task emails for ${projectCode}`);
}

async function submitted() {
  const project = await driveTo(app, 'proposed.review');
  const view = (await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token })).body;
  return { id: project.id, code: view.code as string, version: view.version as number };
}

/** GETs a link like a browser: returns the cookie it set and the form nonce. */
async function open(link: string) {
  const response = await fetch(`${app.baseUrl}${link}`, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', cookie: 'seen=1' } });
  const html = await response.text();
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { status: response.status, html, cookie, nonce };
}

async function post(link: string, form: Record<string, string>, cookie: string) {
  const response = await fetch(`${app.baseUrl}${link}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  return { status: response.status, html: await response.text() };
}

const version = async (id: string) => (await api('GET', `/api/v1/projects/${id}`, { token: app.users.admin.token })).body;

describe('approvers act from their inbox, safely', () => {
  it('each candidate gets the link in their language; GET shows and changes nothing; POST approve acts once, as the recipient, channel email', async () => {
    const project = await submitted();
    const mails = await reviewEmails(project.code, 2);
    const chinese = mails.find((mail) => mail.to.includes(app.users.center.email))!;
    const english = mails.find((mail) => mail.to.includes(englishCenter.email))!;
    expect(chinese.subject).toMatch(/^【阳城县奖励资金】待办：.*项目审核（请于 \d{4}-\d{2}-\d{2} 前办理）$/);
    expect(chinese.text).toContain('120,000.00 元');
    expect(english.subject).toMatch(/^\[Yangcheng SME fund\] Action needed: .*review of a proposal \(due \d{4}-\d{2}-\d{2}\)$/);
    expect(chinese.messageId).toMatch(/^<task\..+@fundflow>$/);
    const link = linkIn(chinese)!;
    expect(link).toBeTruthy();
    expect(linkIn(english)).not.toBe(link);

    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain(project.code);
    expect(page.html).toContain('绩效目标');
    expect(page.html).not.toMatch(/<script/i);
    expect((await version(project.id)).version).toBe(project.version);

    const done = await post(link, { decision: 'approve', comment: '同意', nonce: page.nonce }, page.cookie);
    expect(done.status, done.html).toBe(200);
    const after = await version(project.id);
    expect(after).toMatchObject({ state: 'proposed.review', version: project.version + 1 });
    const history = (await api('GET', `/api/v1/projects/${project.id}/history`, { token: app.users.admin.token })).body.events.at(-1);
    expect(history).toMatchObject({ type: 'APPROVE', channel: 'email', actor: { id: app.users.center.id, role: 'center' }, reason: '同意' });

    const again = await post(link, { decision: 'approve', nonce: page.nonce }, page.cookie);
    expect(again.status).toBe(410);
    expect(again.html).toContain('center 用户');
    expect((await version(project.id)).version).toBe(project.version + 1);

    // The second candidate's link stopped working once the first acted.
    const second = await open(linkIn(english)!);
    expect(second.status).toBe(410);
  });

  it('HEAD and scanner-like GETs act on nothing and are recorded as automated', async () => {
    const project = await submitted();
    const link = linkIn((await reviewEmails(project.code, 2)).find((mail) => mail.to.includes(app.users.center.email))!)!;
    const head = await fetch(`${app.baseUrl}${link}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const scanner = await fetch(`${app.baseUrl}${link}`, { headers: { 'user-agent': 'Mimecast URL Protect' } });
    expect(scanner.status).toBe(200);
    expect((await version(project.id)).version).toBe(project.version);
    const visits = await app.db.query<{ method: string; automated: boolean }>(
      `SELECT method, automated FROM link_visits WHERE token_hash = encode(sha256($1::bytea), 'hex') ORDER BY id`,
      [link.slice(3)],
    );
    expect(visits).toEqual([
      { method: 'HEAD', automated: true },
      { method: 'GET', automated: true },
    ]);
    // A POST without the cookie and nonce of a real page view is refused, nothing changes.
    const forged = await post(link, { decision: 'approve', nonce: 'x' }, '');
    expect(forged.status).toBe(403);
    expect((await version(project.id)).version).toBe(project.version);
  });

  it("a link for task A cannot act on task B; reject needs a comment; expired and revoked links get 410", async () => {
    const a = await submitted();
    const b = await submitted();
    const linkA = linkIn((await reviewEmails(a.code, 2)).find((mail) => mail.to.includes(app.users.center.email))!)!;
    const linkB = linkIn((await reviewEmails(b.code, 2)).find((mail) => mail.to.includes(app.users.center.email))!)!;
    const pageA = await open(linkA);
    const crossed = await post(linkB, { decision: 'approve', nonce: pageA.nonce }, pageA.cookie.replace(/ff_link_\w+/, `ff_link_x`));
    expect(crossed.status).toBe(403);
    expect((await version(b.id)).version).toBe(b.version);

    const noComment = await post(linkA, { decision: 'reject', nonce: pageA.nonce }, pageA.cookie);
    expect(noComment.status).toBe(400);
    expect(noComment.html).toContain('comment');
    const rejected = await post(linkA, { decision: 'reject', comment: '不符合支持方向', nonce: pageA.nonce }, pageA.cookie);
    expect(rejected.status).toBe(200);
    expect((await version(a.id)).state).toBe('rejected');

    // B's project moves on through the API: its links are revoked.
    await api('POST', `/api/v1/projects/${b.id}/events`, { token: app.users.center.token, body: { type: 'RETURN', comment: '补充材料' } });
    await eventually(async () => (await open(linkB)).status === 410, 'the link of a project that moved on to be revoked');
    expect((await open(linkB)).html).toMatch(/办结|作废/);

    const c = await submitted();
    const linkC = linkIn((await reviewEmails(c.code, 2)).find((mail) => mail.to.includes(app.users.center.email))!)!;
    app.clock.advanceDays(8);
    const expired = await open(linkC);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('过期');
    app.clock.advanceDays(-8);
  });

  it('tasks through the API: mine, a decision, and a delegation recorded in the audit trail', async () => {
    const project = await submitted();
    await reviewEmails(project.code, 2);
    const mine = (await api('GET', '/api/v1/tasks', { token: app.users.center.token })).body.items.find((task: { projectId: string }) => task.projectId === project.id);
    expect(mine).toMatchObject({ kind: 'review', status: 'open', overdue: false });
    expect((await api('GET', '/api/v1/tasks', { token: app.users.finance.token })).body.items.some((task: { projectId: string }) => task.projectId === project.id)).toBe(false);

    const delegated = await api('POST', `/api/v1/tasks/${mine.id}/delegate`, { token: app.users.center.token, body: { userId: englishCenter.id, reason: '出差' } });
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(200);
    const wrongRole = await api('POST', `/api/v1/tasks/${mine.id}/delegate`, { token: englishCenter.token, body: { userId: app.users.finance.id } });
    expect(wrongRole.status).toBe(400);
    const history = (await api('GET', `/api/v1/projects/${project.id}/history`, { token: app.users.admin.token })).body.events.at(-1);
    expect(history).toMatchObject({ type: 'DELEGATE_TASK', reason: '出差', from: 'proposed.review', to: 'proposed.review' });
    await eventually(async () => sink.received.filter((m) => m.to.includes(englishCenter.email) && m.subject.includes(project.code)).length >= 2, 'the delegate\'s own link');

    expect((await api('POST', `/api/v1/tasks/${mine.id}/decision`, { token: app.users.center.token, body: { decision: 'approve' } })).status).toBe(404);
    const decided = await api('POST', `/api/v1/tasks/${mine.id}/decision`, { token: englishCenter.token, body: { decision: 'approve' } });
    expect(decided.status).toBe(200);
    expect(decided.body.context.approval.step).toBe(1);
  });

  it('notices keep the applicant and finance in step; a task has reminders that stop when it closes', async () => {
    const project = await submitted();
    await reviewEmails(project.code, 2);
    const schedule = async () => (await api('GET', `/api/v1/projects/${project.id}/schedule`, { token: app.users.admin.token })).body.deadlines;
    const review = await eventually(async () => (await schedule()).find((d: { deadline: string }) => d.deadline === 'task.review'), 'the review task deadline');
    expect(review.reminders.map((r: { offsetDays: number; escalation: boolean }) => [r.offsetDays, r.escalation])).toEqual([
      [-1, false], [0, false], [3, true], [6, true], [9, true], [12, true],
    ]);
    expect(review.reminders.at(-1).audience).toEqual(['center', 'supervisor']);
    await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.center.token, body: { type: 'RETURN', comment: '请补充预算明细' } });
    await eventually(async () => (await schedule()).find((d: { deadline: string }) => d.deadline === 'task.review').status === 'cancelled', 'the task reminders to stop');
    const notice = await eventually(
      async () => sink.received.find((mail) => mail.to.includes(app.users.applicant.email) && mail.subject === `【阳城县奖励资金】通知：${project.code} 项目已退回修改`),
      'the applicant\'s notice',
    );
    expect(notice.text).toContain('请补充预算明细');

    const approved = await driveTo(app, 'approved');
    const code = (await version(approved.id)).code;
    await eventually(async () => sink.received.find((mail) => mail.to.includes(app.users.finance.email) && mail.subject.includes(`${code} 资金拨付`)), 'finance\'s disbursement task');
    await eventually(async () => sink.received.find((mail) => mail.to.includes(app.users.applicant.email) && mail.subject === `【阳城县奖励资金】通知：${code} 项目已批准`), 'the approval notice');
  });

  it('a real browser opens the link from the received email and approves', async () => {
    const project = await submitted();
    const mail = (await reviewEmails(project.code, 2)).find((m) => m.to.includes(app.users.center.email))!;
    const url = /https?:\/\/\S+\/t\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.getByRole('radio', { name: '同意' }).check();
      await page.locator('textarea[name=comment]').fill('浏览器中同意');
      fs.mkdirSync(path.join('tests', 'artifacts'), { recursive: true });
      await page.screenshot({ path: path.join('tests', 'artifacts', 'email-link-form.png'), fullPage: true });
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交' }).click()]);
      await expect.poll(() => page.content()).toContain('已提交');
      await page.screenshot({ path: path.join('tests', 'artifacts', 'email-link-approved.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    expect((await version(project.id)).version).toBe(project.version + 1);
    const last = (await api('GET', `/api/v1/projects/${project.id}/history`, { token: app.users.admin.token })).body.events.at(-1);
    expect(last).toMatchObject({ type: 'APPROVE', channel: 'email', reason: '浏览器中同意' });
  });
});
