import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { JourneyServer } from '../../e2e/support/journey-server.ts';

/** A browser session cookie through the real sign-in: the code from the mail in the SMTP sink. */
export async function sessionCookie(server: JourneyServer, email: string): Promise<{ name: string; value: string }> {
  const before = server.sink.received.length;
  await fetch(`${server.baseUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  for (let i = 0; i < 600 && !server.sink.received.slice(before).some((mail) => mail.to.includes(email)); i += 1) await new Promise((r) => setTimeout(r, 50));
  const mail = server.sink.received.slice(before).find((m) => m.to.includes(email));
  const code = mail && /(?<!\d)(\d{6})(?!\d)/.exec(mail.text)?.[1];
  if (!code) throw new Error('no sign-in code arrived');
  const response = await fetch(`${server.baseUrl}/api/v1/auth/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, code }) });
  const cookie = /ff_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error(`no session cookie (${response.status})`);
  return { name: 'ff_session', value: cookie };
}

/** A page condition as a JS expression run in the page: the selector matches. */
export const selectorShown = (selector: string) => `document.querySelector(${JSON.stringify(selector)}) !== null`;

/**
 * Runs in the page before its own scripts: window.__firstShown(name) resolves with the time (ms
 * from navigation start) the named condition (a JS expression) first held and the time two
 * animation frames later, or rejects after 30 s. A MutationObserver checks each DOM change, so
 * the moment React commits is seen, not the next poll.
 */
function firstShownProbe(conditions: Record<string, string>): string {
  const checks = Object.entries(conditions).map(([name, expression]) => `[${JSON.stringify(name)}, () => (${expression})]`);
  return `(() => {
    const wanted = [${checks.join(', ')}];
    const shown = {};
    const waiting = {};
    const check = () => {
      for (const [name, holds] of wanted) {
        if (shown[name] || !holds()) continue;
        const at = performance.now();
        shown[name] = new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve({ shown: Math.round(at), idle: Math.round(performance.now()) }))));
        for (const resolve of waiting[name] ?? []) resolve(shown[name]);
      }
      if (wanted.every(([name]) => shown[name])) observer.disconnect();
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true });
    window.__firstShown = (name) =>
      shown[name] ??
      new Promise((resolve, reject) => {
        (waiting[name] ??= []).push(resolve);
        setTimeout(() => reject(new Error('not shown within 30 s: ' + name)), 30000);
      });
  })();`;
}

/**
 * Times page loads from inside the page: navigation start to a named condition holding, plus two
 * animation frames. Playwright's waitForSelector is not the clock: it polls at 0, 20, 50, 100, 100,
 * then every 500 ms, so its figure jumps by up to half a second with no change in the page, and its
 * selector engine is injected into the page while it loads.
 */
export async function pageTimer(context: BrowserContext, page: Page, conditions: Record<string, string>) {
  await context.addInitScript({ content: firstShownProbe(conditions) });
  const cdp: CDPSession = await context.newCDPSession(page);
  /** Opens `url` and answers when `name` held (ms from navigation start) and the wall time seen from the test. */
  return async (url: string, name: string): Promise<{ shown: number; idle: number; wall: number }> => {
    await page.goto('about:blank');
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    // Straight through the DevTools protocol: Playwright's own evaluate would inject its scripts into the page as it loads.
    const answer = await cdp.send('Runtime.evaluate', {
      expression: `(async () => { while (!window.__firstShown) await new Promise((r) => setTimeout(r, 5)); return window.__firstShown(${JSON.stringify(name)}); })()`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (answer.exceptionDetails) throw new Error(`${url}: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`);
    return { ...(answer.result.value as { shown: number; idle: number }), wall: performance.now() - started };
  };
}
