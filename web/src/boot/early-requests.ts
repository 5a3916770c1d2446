/**
 * The first screen's API requests, sent the moment the app's script runs instead of after React,
 * antd, the session check and the page have each taken their turn. The pages still make their
 * usual calls through the API client; the client takes the answer from here when it asked for the
 * same address within a few seconds of opening the app. Only GETs, each answer used once, and a
 * failed answer (no session, an error) is never used: the call is made again as usual.
 */
const FRESH_MS = 10_000;

const early = new Map<string, Promise<Response>>();

/**
 * The address with its query decoded and in a fixed order (the client and this module encode
 * queries differently), without the origin. Plain string work: it runs on the first screen's path.
 */
export function requestKey(address: string): string {
  const local = address.startsWith(window.location.origin) ? address.slice(window.location.origin.length) : address;
  const [path = '', query = ''] = local.split('#')[0]!.split('?');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return part;
    }
  };
  const pairs = query ? query.split('&').filter(Boolean).map(decode) : [];
  pairs.sort();
  return `${decode(path)}?${pairs.join('&')}`;
}

/**
 * Asks for `address` now. `then` runs on a successful JSON answer before the answer is handed to
 * the page, so a request that needs it (the project's history needs the id by-code gives) is
 * already on its way when the page asks for it.
 */
export function requestEarly(address: string, then?: (body: unknown) => void): void {
  const answer = fetch(address, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(async (response) => {
    if (!then || !response.ok) return response;
    const text = await response.text();
    try {
      then(JSON.parse(text));
    } catch {
      // not JSON after all: the page's own call reports it
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  });
  answer.catch(() => {}); // a network failure here is the page's to report, when it asks
  early.set(requestKey(address), answer);
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
  early.delete(key);
  const response = await answer.catch(() => null);
  return response?.ok ? response : null;
}
