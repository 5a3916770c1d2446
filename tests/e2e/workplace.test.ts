import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { applyEvent } from '../../src/engine/apply-event.ts';
import { createProject } from '../../src/engine/create-project.ts';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import { attachKinds } from '../support/materials.ts';
import { sampleProposal } from '../support/test-app.ts';
import { DESKTOP, launchChromium, newContext, PageChecks } from './support/browser.ts';
import { startJourneyServer, type JourneyServer } from './support/journey-server.ts';
import { signIn } from './support/pages.ts';

/**
 * The workplace's lists in the browser (issue 12): an inbox of more tasks than one page ("load
 * more"), filters in the URL, the projects list's server filters, a project opened by its code
 * with its open tasks and who holds them. Projects are seeded through the engine; their review
 * tasks come from the outbox through the real workers, as in production.
 */
let server: JourneyServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const checks = new PageChecks();
const PROJECTS = 56;
const ITEM7 = 8;
const codes: string[] = [];

beforeAll(async () => {
  server = await startJourneyServer();
  browser = await launchChromium();
  const engine: EngineDeps = {
    db: server.db.db,
    machine: createProjectMachine(DEFAULT_LIFECYCLE_RULES),
    rules: DEFAULT_LIFECYCLE_RULES,
    countyCode: 'YC',
    now: () => new Date(),
  };
  const applicant = { userId: server.users.applicant.id, role: 'applicant' as const, orgId: server.users.applicant.orgId };
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  for (let index = 0; index < PROJECTS; index += 1) {
    const item = index < ITEM7 ? 7 : 5;
    const created = await createProject(
      engine,
      applicant,
      sampleProposal({ item, title: `${item === 7 ? '专精特新' : '经营管理'}培训第${index + 1}期`, periodStart: day(10), periodEnd: day(300) }) as never,
      'api',
    );
    await attachKinds(engine, applicant, created.body.id, ['proposal', 'budget']);
    await applyEvent(engine, { projectId: created.body.id, actor: applicant, channel: 'api', type: 'SUBMIT', payload: {} });
    codes.push(created.body.code);
  }
  // The review tasks are opened by the effects worker: wait until all are there.
  const openReviews = async () => (await server.db.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE status = 'open' AND kind = 'review'`))[0]!.n;
  for (let tries = 0; tries < 600 && (await openReviews()) < PROJECTS; tries += 1) await new Promise((resolve) => setTimeout(resolve, 200));
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

/** Waits for what the page shows (the machine is shared and loaded: a page may take seconds). */
const poll = <T,>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000, interval: 100 });

const look = (page: Page, name: string) => checks.look(page, name);

describe('workplace lists in the browser', () => {
  it('has every seeded review task opened by the workers', async () => {
    const open = await server.db.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE status = 'open' AND kind = 'review'`);
    expect(open[0]!.n).toBe(PROJECTS);
  });

  it('pages the inbox, filters from the URL, lists projects by server filters, and shows who holds a project task', { timeout: 600_000 }, async () => {
    const context = await newContext(browser, DESKTOP);
    context.setDefaultTimeout(60_000);
    contexts.push(context);
    const center = await signIn(context, server, server.users.center.email, 'code');
    const { baseUrl } = server;

    // The inbox: the menu counts come from the server; the first page shows 25, each "load more" 25 more.
    await center.goto(`${baseUrl}/`);
    await center.getByRole('heading', { name: '我的待办' }).waitFor();
    await poll(() => center.getByTestId('inbox-summary').textContent()).toContain(`共 ${PROJECTS} 项`);
    await poll(() => center.getByTestId('inbox-shown').textContent()).toBe('已显示 25 项');
    await poll(() => center.getByRole('navigation').or(center.locator('.ant-menu')).first().textContent()).toContain(`项目审核（${PROJECTS}）`);
    await look(center, 'workplace-inbox-page1');
    await center.getByRole('button', { name: '加载更多' }).click();
    await poll(() => center.getByTestId('inbox-shown').textContent()).toBe('已显示 50 项');
    await center.getByRole('button', { name: '加载更多' }).click();
    await poll(() => center.getByTestId('inbox-shown').textContent()).toBe(`已显示 ${PROJECTS} 项`);
    await expect(center.getByRole('button', { name: '加载更多' }).count()).resolves.toBe(0);
    const rowCodes = await center.locator('tbody tr').allTextContents();
    expect(new Set(codes.filter((code) => rowCodes.some((row) => row.includes(code)))).size).toBe(PROJECTS);

    // A linked, filtered inbox: item 7 only.
    await center.goto(`${baseUrl}/?item=7`);
    await poll(() => center.getByTestId('inbox-shown').textContent()).toBe(`已显示 ${ITEM7} 项`);
    await look(center, 'workplace-inbox-item7');

    // The projects list: filters in the URL, answered by the server.
    await center.goto(`${baseUrl}/projects?state=proposed&item=7`);
    await poll(() => center.getByTestId('projects-shown').textContent()).toBe(`已显示 ${ITEM7} 个项目`);
    await look(center, 'workplace-projects-filtered');
    await center.getByLabel('按项目编号或名称搜索').fill(codes[3]!);
    await center.getByLabel('按项目编号或名称搜索').press('Enter');
    await center.waitForURL(new RegExp(`q=${codes[3]}`));
    await poll(() => center.getByTestId('projects-shown').textContent()).toBe('已显示 1 个项目');
    await center.goto(`${baseUrl}/projects?light=red`);
    await poll(() => center.getByTestId('projects-shown').textContent()).toBe('已显示 0 个项目');

    // A project by its code: its open task and who holds it.
    await center.goto(`${baseUrl}/projects/${codes[0]}`);
    await center.getByTestId('action-panel').waitFor();
    const holders = center.getByTestId('project-tasks');
    await poll(() => holders.textContent()).toContain('项目审核');
    await poll(() => holders.textContent()).toContain(server.users.center.name);
    await poll(() => holders.textContent()).toContain('我的待办');
    await look(center, 'workplace-project-holders');

    // An unknown code says so in Chinese.
    await center.goto(`${baseUrl}/projects/YC-2099-05-999`);
    await center.getByText('未找到该项目，或您无权查看').waitFor();

    expect(checks.findings).toEqual([]);
  });
});
