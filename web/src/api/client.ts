import createClient, { type Middleware } from 'openapi-fetch';
import { takeEarly } from '../boot/early-requests.ts';
import { ApiError, problemOf } from '../lib/problem.ts';
import type { paths } from './schema.d.ts';

/**
 * The pages talk to /api/v1 and nothing else. The session cookie goes along (same origin); a
 * write carries the CSRF token the session gave us.
 */
let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const session: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json');
    if (!SAFE.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/** A GET the app sent early (boot/first-screen.ts) is answered from there, once. */
const fetchOrEarly = async (request: Request) => (await takeEarly(request.method, request.url)) ?? fetch(request);

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', fetch: fetchOrEarly });
api.use(session);

/** Turns an openapi-fetch answer into its body, or throws an ApiError with the problem. */
export async function unwrap<T>(call: Promise<{ response: Response; data?: unknown; error?: unknown }>): Promise<T> {
  const { response, data, error } = await call;
  if (!response.ok) {
    const problem = error && typeof error === 'object' ? { ...(error as object), status: response.status } : { status: response.status };
    if (response.status === 401) onUnauthenticated?.();
    throw new ApiError(problem as ApiError['problem']);
  }
  return data as T;
}

/**
 * For routes the generated schema does not describe yet (it lags the server until `npm run api:types`
 * runs after a merge): the same cookie, CSRF header and problem handling.
 */
export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  if (!SAFE.has(method) && csrfToken) (init.headers as Record<string, string>)['X-CSRF-Token'] = csrfToken;
  const response = (await takeEarly(method, path)) ?? (await fetch(path, init));
  if (!response.ok) {
    if (response.status === 401) onUnauthenticated?.();
    throw new ApiError(await problemOf(response));
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : undefined) as T;
}
