import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { SmtpSink } from '../../support/smtp-sink.ts';

export const ARTIFACTS = path.resolve('tests/artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=zh-CN'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function newContext(browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** A full-page screenshot in tests/artifacts/ (look at them: Chinese text, nothing cut off, Beijing time). */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `web-${name}.png`), fullPage: true });
}

export interface AxeFinding {
  page: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core on the page as it stands; serious and critical violations are returned for one assertion at the end. */
export async function axeCheck(page: Page, name: string): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      page: name,
      id: violation.id,
      impact: violation.impact ?? '',
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
}

/** Waits for the next mail to `to` that arrived after `after` mails (no sleeping: polls the sink's list). */
export async function mailTo(sink: SmtpSink, to: string, after: number, subject: RegExp): Promise<{ text: string; html: string }> {
  await expect
    .poll(() => sink.received.slice(after).find((mail) => mail.to.includes(to) && subject.test(mail.subject)), { timeout: 60_000, interval: 50 })
    .toBeTruthy();
  return sink.received.slice(after).find((mail) => mail.to.includes(to) && subject.test(mail.subject))!;
}

/** Every page a browser test looks at: its screenshot in tests/artifacts and its axe findings. */
export class PageChecks {
  readonly findings: AxeFinding[] = [];
  readonly checked: string[] = [];

  /** Waits for the page to settle, keeps a screenshot and runs axe on it. */
  async look(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    // A toast leaves after 3 s with a fade, and finite animations (a dialog opening) run to their
    // end: axe judges colours as drawn, and half-faded text fails contrast though nobody reads it so.
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
    await page.evaluate(`Promise.race([
      Promise.all(document.getAnimations().filter((animation) => animation.effect?.getTiming().iterations !== Infinity).map((animation) => animation.finished.catch(() => {}))),
      new Promise((resolve) => setTimeout(resolve, 3000)),
    ])`);
    await snap(page, name);
    this.note(name, await axeCheck(page, name));
  }

  note(name: string, findings: AxeFinding[]): void {
    this.findings.push(...findings);
    this.checked.push(name);
  }
}
