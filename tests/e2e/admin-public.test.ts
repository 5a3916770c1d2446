import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import { sampleProposal } from '../support/test-app.ts';
import { ARTIFACTS, DESKTOP, launchChromium, mailTo, newContext, PageChecks, PHONE, snap } from './support/browser.ts';
import { startJourneyServer, type JourneyServer } from './support/journey-server.ts';
import { choose, signIn } from './support/pages.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';

/**
 * Journeys 1 and 5 of issue 13 against the real service (PostgreSQL, Redis workers, SMTP sink,
 * chromium): an admin invites a person who signs in from the emailed link; the public reads,
 * searches, downloads and prints the 公示 page with no cookies.
 */
let server: JourneyServer;
let browser: Browser;
let admin: DirectoryUser & { name: string };
const contexts: BrowserContext[] = [];
const checks = new PageChecks();
const codes: Record<string, string> = {};

/** Set-up through the API (the journeys themselves use only the pages). */
async function call(method: string, url: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function projectIn(state: 'approved' | 'executing' | 'suspended', title: string, item: number): Promise<string> {
  const { users } = server;
  const created = await call('POST', '/api/v1/projects', users.applicant.token, sampleProposal({ title, item, requestedFen: 28_000_000 + item * 1_000_000 }));
  const send = async (token: string, event: Record<string, unknown> & { type: string }) =>
    call('POST', `/api/v1/projects/${created.id}/events`, token, await withMaterialsOverHttp(server, created.id, event));
  await send(users.applicant.token, { type: 'SUBMIT' });
  await send(users.center.token, { type: 'APPROVE' });
  await send(users.finance.token, { type: 'APPROVE' });
  if (state !== 'approved') await send(users.finance.token, { type: 'DISBURSE', amountFen: 12_345_600 });
  if (state === 'suspended') await send(users.supervisor.token, { type: 'SUSPEND', reason: '检查发现严重偏离' });
  return created.code;
}

beforeAll(async () => {
  server = await startJourneyServer();
  const orgs = await ensureStandardOrganisations(server.db.db);
  admin = { ...(await addStaffUser(server.db.db, orgs, 'admin', 'admin@yc.test', '周管理')), name: '周管理' };
  codes.approved = await projectIn('approved', '2026年企业服务平台运维', 1);
  codes.executing = await projectIn('executing', '2026年中小企业经营管理人才培训', 5);
  codes.suspended = await projectIn('suspended', '2026年专精特新企业展览展示', 2);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

const look = (page: Page, name: string) => checks.look(page, name);

describe('issue 13 journeys 1 and 5', () => {
  it('1. an admin invites a person; they sign in from the emailed link and see their own inbox', { timeout: 600_000 }, async () => {
    const context = await newContext(browser);
    context.setDefaultTimeout(60_000);
    contexts.push(context);
    const page = await signIn(context, server, admin.email, 'code');
    await page.getByRole('link', { name: '人员与单位' }).click();
    await page.getByRole('heading', { name: '邀请人员' }).waitFor();
    await page.getByRole('cell', { name: 'finance@yc.test' }).waitFor();
    await look(page, 'admin-users');

    const before = server.sink.received.length;
    await page.getByLabel('电子邮箱').fill('jiancha.wang@yc.test');
    await page.getByLabel('姓名').fill('王检查');
    await choose(page, /^角色$/, '监督检查人员');
    await choose(page, '所属单位', '阳城县中小企业发展促进中心');
    await page.getByRole('button', { name: '邀请并发送登录链接' }).click();
    await page.getByText('已向 jiancha.wang@yc.test 发送登录链接').waitFor();
    await page.getByRole('cell', { name: 'jiancha.wang@yc.test' }).waitFor();

    const mail = await mailTo(server.sink, 'jiancha.wang@yc.test', before, /账号开通通知/);
    expect(mail.text).toMatch(/^王检查同志，您好：/);
    expect(mail.text).toContain('阳城县中小企业发展促进中心');
    const link = /(https?:\/\/[^\s"<>]+\/sign-in\/[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(link).toBeTruthy();

    // The invited person, in their own browser, from the emailed link.
    const theirs = await newContext(browser);
    theirs.setDefaultTimeout(60_000);
    contexts.push(theirs);
    const invited = await theirs.newPage();
    await invited.goto(link!);
    await invited.getByRole('button', { name: '继续登录' }).click();
    await invited.getByTestId('whoami').waitFor();
    expect(await invited.getByTestId('whoami').textContent()).toContain('王检查');
    expect(new URL(invited.url()).pathname).toBe('/');
    await invited.getByRole('link', { name: /我的待办/ }).waitFor();
    await look(invited, 'admin-invited-inbox');
    // An inspector sees the rules, not the people.
    await invited.getByRole('link', { name: '规则', exact: true }).click();
    await invited.getByRole('heading', { name: '双监控与定时检查' }).waitFor();
    await look(invited, 'admin-rules-inspector');

    // The other tabs, as the admin: units (credit code checked as typed), API tokens, beneficiaries, rules.
    await page.getByRole('tab', { name: '单位' }).click();
    await page.getByLabel('统一社会信用代码').fill('91140522MA0GRY8H93');
    await page.getByText('统一社会信用代码校验码错误，请核对').waitFor();
    await page.getByLabel('统一社会信用代码').fill('91140522ma0gry8h92');
    await expect.poll(() => page.getByText('统一社会信用代码校验码错误，请核对').count()).toBe(0);
    await look(page, 'admin-orgs');

    await page.getByRole('tab', { name: 'API 令牌' }).click();
    await choose(page, '人员', '赵强（县财政局，finance@yc.test）');
    await page.getByLabel('用途').fill('财政一体化系统对接');
    await page.getByRole('button', { name: '签发令牌' }).click();
    const token = (await page.getByTestId('new-token').textContent())!.trim();
    expect(token).toMatch(/^ff_/);
    await look(page, 'admin-token-once');
    await page.getByRole('button', { name: '已妥善保存' }).click();
    // The token is shown once: closing the dialog takes it out of the page.
    await expect.poll(() => page.getByText(token).count()).toBe(0);

    await page.getByRole('tab', { name: '受益企业登记' }).click();
    await page.getByLabel('统一社会信用代码').fill('91140522MA0GRY8H9');
    await page.getByText('统一社会信用代码应为 18 位，当前 17 位').waitFor();
    await page.getByLabel('统一社会信用代码').fill('91140522MA0GRY8H92');
    await page.getByLabel('企业名称').fill('阳城县某新材料有限公司');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('cell', { name: '阳城县某新材料有限公司' }).waitFor();
    // Support it already had, for 就高不重复.
    await page.getByRole('row', { name: /阳城县某新材料有限公司/ }).getByRole('button').first().click();
    await page.getByLabel('政策或项目').fill('晋城市专精特新奖励');
    await page.getByLabel('金额（元）').fill('50,000');
    await page.getByRole('button', { name: '记录已获支持' }).click();
    await page.getByRole('cell', { name: '50,000.00 元', exact: true }).waitFor();
    await look(page, 'admin-beneficiaries');

    await page.getByRole('tab', { name: '规则' }).click();
    await page.getByRole('heading', { name: '双监控与定时检查' }).waitFor();
    await look(page, 'admin-rules');

    // A role change (confirmed first), then deactivation: the invited person's open page loses its session at once.
    await page.getByRole('tab', { name: '人员' }).click();
    await choose(page, '刘洋的角色', '绩效评价人员', { asksToConfirm: true });
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '更改' }).click();
    await page.getByText('角色已更改').waitFor();
    const invitedRow = page.getByRole('row', { name: /jiancha\.wang@yc\.test/ });
    await invitedRow.getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '停用' }).click();
    await page.getByText('账号已停用').waitFor();
    await invitedRow.getByText('已停用').waitFor();
    await look(page, 'admin-users-after');
    await invited.reload();
    await invited.waitForURL(/\/sign-in/);
  });

  it('5. the public page, with no cookies: read, searched, CSV downloaded, printed, and fine on a phone', { timeout: 600_000 }, async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    const response = await page.goto(`${server.baseUrl}/public`);
    expect(new URL(page.url()).pathname).toBe('/gongshi');
    expect(response!.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    expect(await context.cookies()).toEqual([]);
    await page.getByRole('heading', { level: 1, name: /项目公示/ }).waitFor();
    // The page ships no script at all: the search is a plain GET form.
    expect(await page.locator('script').count()).toBe(0);
    for (const code of Object.values(codes)) await page.getByRole('cell', { name: code }).waitFor();
    // The suspension is not published while it is under way.
    const suspendedRow = page.getByRole('row', { name: new RegExp(codes.suspended!) });
    expect(await suspendedRow.getByRole('cell', { name: '实施中' }).count()).toBe(1);
    expect(await page.locator('tbody').textContent()).not.toMatch(/暂缓/);
    await look(page, 'public-notice');

    // Search by item with the plain GET form.
    await page.getByLabel('支持事项').selectOption('5');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/item=5/);
    expect(await page.getByRole('cell', { name: codes.executing! }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: codes.approved! }).count()).toBe(0);
    await page.getByLabel('关键词').fill('人才培训');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    expect(await page.getByRole('cell', { name: '2026年中小企业经营管理人才培训' }).count()).toBe(1);
    await look(page, 'public-notice-searched');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /下载 CSV/ }).click()]);
    const saved = path.join(ARTIFACTS, 'public-notice.csv');
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('项目编号');
    expect(csv).toContain(codes.executing);
    expect(csv).not.toContain(codes.approved);

    // Printed: the form and links go, the table stays.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('form').isVisible()).toBe(false);
    expect(await page.getByRole('cell', { name: codes.executing! }).isVisible()).toBe(true);
    await snap(page, 'public-notice-print');
    await page.pdf({ path: path.join(ARTIFACTS, 'public-notice.pdf'), format: 'A4', landscape: true });
    await page.emulateMedia({ media: 'screen' });

    const phone = await newContext(browser, PHONE);
    contexts.push(phone);
    const small = await phone.newPage();
    await small.goto(`${server.baseUrl}/gongshi`);
    // Rows become cards on a phone: nothing wider than the screen.
    expect((await small.locator('table').boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    await look(small, 'public-notice-phone');
  });

  it('axe finds no serious or critical violation on any page', () => {
    expect(checks.checked.length).toBeGreaterThanOrEqual(11);
    expect(checks.findings).toEqual([]);
  });
});
