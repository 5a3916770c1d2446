import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
const codes: Record<string, string> & { [state: string]: string } = {};

beforeAll(async () => {
  database = await createTestDatabase(10);
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  const states = ['approved', 'executing', 'inspected', 'deviated-corrected.correcting', 'suspended.held', 'evaluated.accepted', 'closed', 'terminated', 'proposed.review', 'rejected'];
  for (const state of states) {
    const { id } = await driveTo(app, state, { title: `公示测试项目 ${state} <b>&`, item: state === 'closed' ? 3 : 5 });
    codes[state] = (await api('GET', `/api/v1/projects/${id}`, { token: app.users.admin.token })).body.code;
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const page = (query = '') => fetch(`${app.baseUrl}/gongshi${query}`);
const rowOf = (html: string, code: string | undefined) => html.match(new RegExp(`<tr><td data-label="项目编号" class="nowrap">${code}</td>.*?</tr>`))?.[0];

describe('the 公示 page (no login)', () => {
  it('is server-rendered HTML in Chinese with a strict CSP and no script', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html><html lang="zh-CN">/);
    expect(html).toContain('<title>阳城县中小企业奖励资金项目公示</title>');
    expect(html).toMatch(/<meta name="description" content="[^"]*公示/);
    expect(html).not.toMatch(/<script|noindex/);
    expect(html).toMatch(/@media print/);
  });

  it('shows approved projects with amounts in 元, escapes every title and hides proposals and refusals', async () => {
    const html = await (await page()).text();
    for (const state of ['approved', 'executing', 'closed', 'terminated']) expect(html).toContain(codes[state]);
    expect(html).not.toContain(codes['proposed.review']);
    expect(html).not.toContain(codes.rejected);
    expect(html).not.toContain('<b>&');
    expect(html).toContain('&lt;b&gt;&amp;');
    expect(rowOf(html, codes.executing)).toContain('<td data-label="批准金额（元）" class="money">120,000.00</td>');
    expect(rowOf(html, codes.executing)).toContain('<td data-label="已拨付（元）" class="money">10,000.00</td>');
    expect(html).not.toMatch(/@yc\.test/);
  });

  it('shows supervision states as 实施中 until concluded, on the page and in the API (the state-visibility decision)', async () => {
    const html = await (await page()).text();
    for (const state of ['inspected', 'deviated-corrected.correcting', 'suspended.held', 'executing']) {
      expect(rowOf(html, codes[state]!)).toContain('<td data-label="状态" class="nowrap">实施中</td>');
    }
    expect(html.match(/<tbody>.*<\/tbody>/s)![0]).not.toMatch(/暂缓|整改|待出具检查结论/);
    expect(rowOf(html, codes.terminated)).toContain('<td data-label="状态" class="nowrap">已停止执行</td>');
    expect(rowOf(html, codes.closed)).toContain('<td data-label="状态" class="nowrap">已结项</td>');
    expect(rowOf(html, codes['evaluated.accepted'])).toContain('<td data-label="状态" class="nowrap">绩效评价中</td>');
    const items: Array<{ code: string; state: string; stateZh: string }> = (await api('GET', '/api/v1/public/projects?limit=1000')).body.items;
    const suspended = items.find((item) => item.code === codes['suspended.held'])!;
    expect(suspended).toMatchObject({ state: 'executing', stateZh: '实施中' });
    expect(items.map((item) => item.state)).not.toContain('suspended.held');
    const csv = await (await fetch(`${app.baseUrl}/api/v1/public/projects.csv`)).text();
    const stateColumn = new Set(csv.trim().split('\r\n').slice(1).map((line) => line.split(',')[5]));
    expect([...stateColumn].sort()).toEqual(['实施中', '已批准', '已停止执行', '已结项', '绩效评价中'].sort());
  });

  it('filters by item, year and words with a plain GET form, and the CSV link keeps the filter', async () => {
    const html = await (await page('?item=3&year=&q=')).text();
    expect(html).toContain(codes.closed);
    expect(html).not.toContain(codes.executing);
    expect(html).toContain('<option value="3" selected>');
    expect(html).toContain('href="/api/v1/public/projects.csv?item=3"');
    const year = codes.closed!.split('-')[1];
    expect(await (await page(`?year=${year}`)).text()).toContain(codes.closed);
    expect(await (await page('?year=2099')).text()).toContain('没有符合条件的项目');
    const searched = await (await page(`?q=${encodeURIComponent('deviated-corrected')}`)).text();
    expect(searched).toContain(codes['deviated-corrected.correcting']);
    expect(searched).not.toContain(codes.closed);
    expect(await (await page('?q=%25')).text()).toContain('没有符合条件的项目');
    const csv = await (await fetch(`${app.baseUrl}/api/v1/public/projects.csv?item=3`)).text();
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain(codes.closed);
  });

  it('answers bad filters with a 400 naming the field, never a 500', async () => {
    const response = await page('?item=99');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(JSON.stringify(await response.json())).toContain('query.item');
    expect((await api('GET', '/api/v1/public/projects?year=abc')).body.errors[0].field).toBe('query.year');
  });

  it('is available in English (?lang=en), which the form and the page links keep', async () => {
    const html = await (await page('?lang=en&item=5')).text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('<input type="hidden" name="lang" value="en">');
    expect(rowOf(html.replaceAll('data-label="Code"', 'data-label="项目编号"'), codes['suspended.held'])).toContain('>Under way</td>');
    expect(html).toContain('<option value="5" selected>5. Training and study trips</option>');
    expect(html).toContain('lang="zh-CN">中文</a>');
    expect(html).not.toMatch(/Suspended|suspended\.held<\/td>/);
    expect((await page('?lang=fr')).status).toBe(400);
  });

  it('/public redirects to /gongshi with its query', async () => {
    const response = await fetch(`${app.baseUrl}/public?item=5`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/gongshi?item=5');
  });
});
