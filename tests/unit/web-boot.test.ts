import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// The modules are imported by a name tsc does not follow: the root tsconfig (Node, no DOM) would
// otherwise check them and React's global DOM stubs, which web/tsconfig.json checks properly.
const EARLY_REQUESTS = '../../web/src/boot/early-requests.ts';
const ROUTE_PAGE = '../../web/src/lib/route-page.ts';

interface EarlyRequests {
  requestKey(address: string): string;
  requestEarly(address: string, then?: (body: unknown) => void): void;
  settleEarly(ms: number): Promise<void>;
  takeEarlyJson(address: string): { ok: true; body: unknown } | { ok: false; status: number } | null;
  takeEarly(method: string, address: string): Promise<Response | null>;
}
type Page<P> = ((props: P) => { type: unknown; props: unknown }) & { preload: () => Promise<void> };
type RoutePage = <P extends object>(load: () => Promise<{ default: (props: P) => unknown }>) => Page<P>;
const { routePage } = (await import(ROUTE_PAGE)) as { routePage: RoutePage };

const SLOW_MS = 1_000;
const hits = new Map<string, number>();
let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://test');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/projects/by-code') send(200, { id: `project-${url.searchParams.get('code')}` });
    else if (url.pathname === '/api/projects/history') send(200, { projectId: url.searchParams.get('id'), events: [] });
    else if (url.pathname === '/api/session') send(401, { title: 'Unauthorized', status: 401 });
    else if (url.pathname === '/api/slow') setTimeout(() => send(200, { slow: true }), SLOW_MS);
    else send(404, { title: 'Not Found', status: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// performance.now() counts from the test worker's start, not from "opening the app": the module
// hands nothing out after 10 s of it, so each test's clock starts when it opens the app.
const realNow = performance.now.bind(performance);
let openedAt = 0;

/** A freshly loaded module (no early answers yet) in a page served from the test server. */
async function openApp(): Promise<EarlyRequests> {
  vi.resetModules();
  vi.stubGlobal('window', { location: { origin } });
  openedAt = realNow();
  vi.spyOn(performance, 'now').mockImplementation(() => realNow() - openedAt);
  return (await import(EARLY_REQUESTS)) as EarlyRequests;
}

beforeEach(() => hits.clear());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('requestKey', () => {
  it('treats the same query in another order or encoding, or with the origin, as the same request', async () => {
    const { requestKey } = await openApp();
    expect(requestKey('/api/projects?b=2&a=1')).toBe(requestKey('/api/projects?a=1&b=2'));
    expect(requestKey('/api/projects?q=a%20b')).toBe(requestKey('/api/projects?q=a+b'));
    expect(requestKey(`${origin}/api/projects?q=%E9%98%B3`)).toBe(requestKey('/api/projects?q=阳'));
    expect(requestKey('/api/projects?a=1#top')).toBe(requestKey('/api/projects?a=1'));
  });

  it('tells apart requests whose path, values or parameters differ', async () => {
    const { requestKey } = await openApp();
    expect(requestKey('/api/projects?a=1')).not.toBe(requestKey('/api/projects?a=2'));
    expect(requestKey('/api/projects?a=1')).not.toBe(requestKey('/api/projects?a=1&b=2'));
    expect(requestKey('/api/projects?a=1')).not.toBe(requestKey('/api/inbox?a=1'));
    // an encoded & or = is part of a value, not a separator
    expect(requestKey('/api/projects?a=1%26b%3D2')).not.toBe(requestKey('/api/projects?b=2&a=1'));
    // repeated names keep their order
    expect(requestKey('/api/projects?tag=b&tag=a')).not.toBe(requestKey('/api/projects?tag=a&tag=b'));
    // only this origin is stripped, not one whose port merely starts with the same digits
    expect(requestKey(`${origin}0/api/projects`)).not.toBe(requestKey('/api/projects'));
  });
});

describe('early requests', () => {
  it('asks the server once when the same address is asked for twice', async () => {
    const { requestEarly, settleEarly, takeEarlyJson } = await openApp();
    requestEarly(`${origin}/api/projects/by-code?code=B2`);
    requestEarly(`${origin}/api/projects/by-code?code=B2`);
    await settleEarly(2_000);
    expect(hits.get('/api/projects/by-code')).toBe(1);
    expect(takeEarlyJson(`${origin}/api/projects/by-code?code=B2`)).toEqual({ ok: true, body: { id: 'project-B2' } });
  });

  it('keeps a good answer good when what it asks for next throws', async () => {
    const { requestEarly, settleEarly, takeEarlyJson } = await openApp();
    requestEarly(`${origin}/api/projects/by-code?code=C3`, () => {
      throw new Error('a bug in a follow-up');
    });
    await settleEarly(2_000);
    expect(takeEarlyJson(`${origin}/api/projects/by-code?code=C3`)).toEqual({ ok: true, body: { id: 'project-C3' } });
  });

  it('hands an early answer out once, from a single request to the server', async () => {
    const { requestEarly, settleEarly, takeEarly, takeEarlyJson } = await openApp();
    requestEarly(`${origin}/api/projects/by-code?code=A1`);
    await settleEarly(2_000);
    expect(takeEarlyJson('/api/projects/by-code?code=A1')).toEqual({ ok: true, body: { id: 'project-A1' } });
    expect(takeEarlyJson('/api/projects/by-code?code=A1')).toBeNull();
    expect(await takeEarly('GET', '/api/projects/by-code?code=A1')).toBeNull();
    expect(hits.get('/api/projects/by-code')).toBe(1);
  });

  it('takeEarly waits for the answer and gives back a Response with the server body, once', async () => {
    const { requestEarly, takeEarly } = await openApp();
    requestEarly(`${origin}/api/projects/by-code?code=B2&view=full`);
    const response = await takeEarly('GET', `${origin}/api/projects/by-code?view=full&code=B2`);
    expect(response).toBeInstanceOf(Response);
    expect(response!.status).toBe(200);
    expect(response!.headers.get('content-type')).toBe('application/json');
    expect(await response!.json()).toEqual({ id: 'project-B2' });
    expect(await takeEarly('GET', `${origin}/api/projects/by-code?view=full&code=B2`)).toBeNull();
    expect(hits.get('/api/projects/by-code')).toBe(1);
  });

  it('never hands out a failed answer: takeEarly gives null, takeEarlyJson only the status', async () => {
    const { requestEarly, settleEarly, takeEarly, takeEarlyJson } = await openApp();
    requestEarly(`${origin}/api/session`);
    expect(await takeEarly('GET', '/api/session')).toBeNull();
    requestEarly(`${origin}/api/session`);
    await settleEarly(2_000);
    expect(takeEarlyJson('/api/session')).toEqual({ ok: false, status: 401 });
    expect(hits.get('/api/session')).toBe(2);
  });

  it('answers only GETs, and a request by another method leaves the answer in place', async () => {
    const { requestEarly, takeEarly } = await openApp();
    requestEarly(`${origin}/api/projects/by-code?code=C3`);
    expect(await takeEarly('POST', '/api/projects/by-code?code=C3')).toBeNull();
    expect(await takeEarly('GET', '/api/projects/by-code?code=C3')).not.toBeNull();
  });

  it('gives nothing for an address that was not asked for early', async () => {
    const { requestEarly, settleEarly, takeEarly, takeEarlyJson } = await openApp();
    requestEarly(`${origin}/api/projects/by-code?code=D4`);
    await settleEarly(2_000);
    expect(takeEarlyJson('/api/projects/by-code?code=D5')).toBeNull();
    expect(await takeEarly('GET', '/api/projects/by-code')).toBeNull();
  });

  it('runs `then` with the body before the answer counts as arrived, and settleEarly waits for what it asks', async () => {
    const { requestEarly, settleEarly, takeEarlyJson } = await openApp();
    const seen: unknown[] = [];
    let takenInsideThen: unknown = 'not called';
    requestEarly(`${origin}/api/projects/by-code?code=E5`, (body) => {
      seen.push(body);
      takenInsideThen = takeEarlyJson('/api/projects/by-code?code=E5');
      requestEarly(`${origin}/api/projects/history?id=${(body as { id: string }).id}`);
    });
    await settleEarly(2_000);
    expect(seen).toEqual([{ id: 'project-E5' }]);
    expect(takenInsideThen).toBeNull();
    expect(takeEarlyJson('/api/projects/by-code?code=E5')).toEqual({ ok: true, body: { id: 'project-E5' } });
    expect(takeEarlyJson('/api/projects/history?id=project-E5')).toEqual({ ok: true, body: { projectId: 'project-E5', events: [] } });
  });

  it('does not run `then` for a failed answer', async () => {
    const { requestEarly, settleEarly } = await openApp();
    const seen: unknown[] = [];
    requestEarly(`${origin}/api/session`, (body) => seen.push(body));
    await settleEarly(2_000);
    expect(seen).toEqual([]);
  });

  it('settleEarly returns at its deadline when an answer is slow; the slow answer is not taken before it arrives', async () => {
    const { requestEarly, settleEarly, takeEarly, takeEarlyJson } = await openApp();
    requestEarly(`${origin}/api/slow`);
    const started = realNow();
    await settleEarly(100);
    const waited = realNow() - started;
    expect(waited).toBeGreaterThanOrEqual(90);
    expect(waited).toBeLessThan(250);
    expect(takeEarlyJson('/api/slow')).toBeNull();
    // The page asking through the API client still gets it, when it comes.
    const response = await takeEarly('GET', '/api/slow');
    expect(await response?.json()).toEqual({ slow: true });
    expect(hits.get('/api/slow')).toBe(1);
  });

  it('hands nothing out once the app has been open longer than the early window', async () => {
    const { requestEarly, settleEarly, takeEarly, takeEarlyJson } = await openApp();
    requestEarly(`${origin}/api/projects/by-code?code=F6`);
    await settleEarly(2_000);
    openedAt -= 10_001;
    expect(takeEarlyJson('/api/projects/by-code?code=F6')).toBeNull();
    expect(await takeEarly('GET', '/api/projects/by-code?code=F6')).toBeNull();
  });
});

describe('routePage', () => {
  const ProjectPage = (_props: { id: string }) => null;
  const isLazy = (type: unknown) => (type as { $$typeof?: symbol }).$$typeof === Symbol.for('react.lazy');

  it('loads the chunk once however often preload is called', async () => {
    let loads = 0;
    const Page = routePage(async () => {
      loads++;
      return { default: ProjectPage };
    });
    await Promise.all([Page.preload(), Page.preload()]);
    await Page.preload();
    expect(loads).toBe(1);
  });

  it('renders through React.lazy before the chunk has arrived', () => {
    const Page = routePage(async () => ({ default: ProjectPage }));
    const element = Page({ id: 'p1' });
    expect(isLazy(element.type)).toBe(true);
    expect(element.props).toEqual({ id: 'p1' });
  });

  it('renders the loaded page itself, with its props, once preloaded', async () => {
    const Page = routePage(async () => ({ default: ProjectPage }));
    await Page.preload();
    const element = Page({ id: 'p1' });
    expect(element.type).toBe(ProjectPage);
    expect(isLazy(element.type)).toBe(false);
    expect(element.props).toEqual({ id: 'p1' });
  });

  it('rejects preload when the load fails, and the next preload loads again', async () => {
    let loads = 0;
    const Page = routePage(async () => {
      loads++;
      if (loads === 1) throw new Error('chunk failed to load');
      return { default: ProjectPage };
    });
    await expect(Page.preload()).rejects.toThrow('chunk failed to load');
    expect(isLazy(Page({ id: 'p1' }).type)).toBe(true);
    await Page.preload();
    expect(loads).toBe(2);
    expect(Page({ id: 'p1' }).type).toBe(ProjectPage);
  });
});
