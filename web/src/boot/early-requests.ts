/**
 * The first screen's API requests, all sent as the app's modules are evaluated, instead of one
 * after another as the session check, the layout and the page each render and ask. A page either takes its answer
 * at its first render (takeEarlyJson: the whole screen renders once, with its data) or makes its
 * usual call through the API client, which takes the answer from here (takeEarly). Only GETs,
 * each answer used once and only within a few seconds of opening the app, and a failed answer
 * (no session, an error) is never used: the call is made again as usual.
 */
const FRESH_MS = 10_000;

interface Answer {
  ok: boolean;
  status: number;
  text: string;
  headers: Headers;
}

const early = new Map<string, Promise<Answer | null>>();
const settled = new Map<string, Answer | null>();

/**
 * The address with its query decoded and in a fixed order (the client and this module encode
 * queries differently), without the origin. Plain string work: it runs on the first screen's path.
 */
export function requestKey(address: string): string {
  const origin = window.location.origin;
  const local = address === origin || address.startsWith(`${origin}/`) || address.startsWith(`${origin}?`) ? address.slice(origin.length) : address;
  const [path = '', query = ''] = local.split('#')[0]!.split('?');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return part;
    }
  };
  // Each name and value decoded on its own and written back one way (an encoded & or = stays
  // itself); sorted by name only, so repeated names keep their order.
  const pairs = query
    ? query
        .split('&')
        .filter(Boolean)
        .map((pair) => {
          const equals = pair.indexOf('=');
          const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
          return [encodeURIComponent(decode(name)), encodeURIComponent(decode(value))] as const;
        })
    : [];
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${encodeURI(decode(path))}?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Asks for `address` now. `then` runs on a successful JSON answer before the answer counts as
 * arrived, so a request that needs it (the project's history needs the id by-code gives) is
 * already on its way when the page asks for it.
 */
export function requestEarly(address: string, then?: (body: unknown) => void): void {
  const key = requestKey(address);
  if (early.has(key)) return; // asked for already: one answer per address
  const answer = fetch(address, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(async (response): Promise<Answer> => {
      const text = await response.text();
      if (then && response.ok) {
        const body = parse(text);
        try {
          if (body !== undefined) then(body);
        } catch {
          // what `then` asks for early is an extra; this answer stays good
        }
      }
      return { ok: response.ok, status: response.status, text, headers: response.headers };
    })
    .catch(() => null) // a network failure here is the page's to report, when it asks
    .then((arrived) => {
      if (early.has(key)) settled.set(key, arrived);
      return arrived;
    });
  early.set(key, answer);
}

/**
 * Waits until every early answer has arrived, those asked for on the way included, or `ms` have
 * passed: then the first render has its data, and a slow answer does not hold the screen back.
 */
export async function settleEarly(ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    for (;;) {
      const pending = [...early].filter(([key]) => !settled.has(key)).map(([, answer]) => answer);
      if (pending.length === 0 || performance.now() >= deadline) return;
      await Promise.race([Promise.all(pending), timeUp]);
    }
  } finally {
    clearTimeout(timer);
  }
}

function take(key: string): void {
  early.delete(key);
  settled.delete(key);
}

/**
 * The early answer to a GET of `address` if it has already arrived, taken once: its JSON body, or
 * the failure's status; null when none was asked for or it is still on its way.
 */
export function takeEarlyJson<T>(address: string): { ok: true; body: T } | { ok: false; status: number } | null {
  if (performance.now() > FRESH_MS) return null;
  const key = requestKey(address);
  if (!settled.has(key)) return null;
  const answer = settled.get(key) ?? null;
  take(key);
  const body = answer?.ok ? parse(answer.text) : undefined;
  return body === undefined ? { ok: false, status: answer?.status ?? 0 } : { ok: true, body: body as T };
}

/**
 * The early answer to a GET of `address`, taken once; null when none was asked for or it failed
 * (no session yet, an error), and the caller then asks as usual.
 */
export async function takeEarly(method: string, address: string): Promise<Response | null> {
  if (method !== 'GET' || early.size === 0 || performance.now() > FRESH_MS) return null;
  const key = requestKey(address);
  const answer = early.get(key);
  if (!answer) return null;
  take(key);
  const arrived = await answer;
  if (!arrived?.ok) return null;
  const bodiless = arrived.status === 204 || arrived.status === 205; // a Response with these statuses may not have a body
  return new Response(bodiless ? null : arrived.text, { status: arrived.status, headers: arrived.headers });
}
