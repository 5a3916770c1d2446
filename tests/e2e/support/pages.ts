import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { JourneyServer } from './journey-server.ts';
import { mailTo } from './browser.ts';

/** Signs a user in through the sign-in page and the emailed link (one click on 继续登录) or the emailed code. */
export async function signIn(context: BrowserContext, server: JourneyServer, email: string, via: 'link' | 'code', onPage?: (page: Page, step: string) => Promise<void>): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/`);
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByLabel('邮箱').fill(email);
  await onPage?.(page, 'sign-in');
  const before = server.sink.received.length;
  await page.getByRole('button', { name: '发送登录邮件' }).click();
  await page.getByText('请查收邮件').waitFor();
  await onPage?.(page, 'sign-in-check-mail');
  const mail = await mailTo(server.sink, email, before, /登录/);
  if (via === 'link') {
    const link = /(https?:\/\/[^\s"<>]+\/sign-in\/[A-Za-z0-9_-]+[^\s"<>]*)/.exec(mail.text)?.[1];
    expect(link, 'the sign-in mail carries a link').toBeTruthy();
    await page.goto(link!);
    await onPage?.(page, 'sign-in-link');
    await page.getByRole('button', { name: '继续登录' }).click();
  } else {
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(mail.text)?.[1];
    expect(code, 'the sign-in mail carries a 6-digit code').toBeTruthy();
    await page.getByLabel('验证码').fill(code!);
    await page.getByRole('button', { name: '登录', exact: true }).click();
  }
  await page.getByTestId('whoami').waitFor();
  return page;
}

/** Picks an option of an antd Select reached by its label. */
/**
 * Picks an option of an antd select and checks the select shows it. Under load a click on a
 * drop-down option was seen to be lost (the journey's evaluation-band flake), so a pick that does
 * not show is tried again, up to three times, and then fails here rather than steps later.
 */
export async function choose(page: Page, label: string | RegExp, option: string, { asksToConfirm = false } = {}): Promise<void> {
  const input = page.getByLabel(label).first();
  if (asksToConfirm) {
    // The select changes only once a dialog is confirmed: the caller checks the outcome.
    await input.click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
    return;
  }
  const select = input.locator("xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]");
  const dropdown = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    // A retry opens the list again only if the lost click closed it (another select's list may still be fading out on the first).
    if (attempt === 1 || (await dropdown.count()) === 0) await input.click();
    await dropdown.locator(`.ant-select-item-option[title="${option}"]`).click();
    for (let look = 0; look < 20; look += 1) {
      if ((await select.innerText()).includes(option)) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`the select ${String(label)} does not show “${option}” after three tries`);
}

export async function openProject(page: Page, baseUrl: string, code: string): Promise<void> {
  await page.goto(`${baseUrl}/projects/${code}`);
  await page.getByTestId('action-panel').waitFor();
}

/** Opens an action of the panel, fills its form and confirms; waits for the project to show the new state. */
export async function act(page: Page, action: string, fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>, expectState?: string): Promise<void> {
  await page.getByTestId('action-panel').getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill(dialog);
  await dialog.getByRole('button', { name: new RegExp(`^确认\\s*${action}$`) }).click();
  await dialog.waitFor({ state: 'detached' });
  if (expectState) await page.getByTestId('project-state').filter({ hasText: expectState }).waitFor();
}

/** Reloads the inbox until a task for the project shows (tasks come from the outbox through the workers). */
export async function waitForTask(page: Page, baseUrl: string, code: string, kind: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.goto(`${baseUrl}/`);
        await page.getByRole('heading', { name: '我的待办' }).waitFor();
        return page.getByRole('row').filter({ hasText: code }).filter({ hasText: kind }).count();
      },
      { timeout: 90_000, interval: 200 },
    )
    .toBeGreaterThan(0);
}

/** Decides from the inbox row of the project: the decision button, a comment, confirm. */
export async function decideInInbox(page: Page, code: string, decision: string, comment: string): Promise<void> {
  await page.getByRole('row').filter({ hasText: code }).getByRole('button', { name: decision, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/意见/).fill(comment);
  await dialog.getByRole('button', { name: decision, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}
