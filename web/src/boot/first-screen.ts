import type { Me } from '../api/types.ts';
import { INBOX_PAGE_SIZE, taskFilterOf, taskQueryOf } from '../lib/tasks.ts';
import { requestEarly, takeEarly } from './early-requests.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const addressOf = (path: string, query: Record<string, string | number | boolean>) =>
  `${path}?${new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)])).toString()}`;

/** What a project page asks for once it knows the project's id (ProjectPage and its attachments card). */
function requestProjectStory(body: unknown): void {
  const id = (body as { id?: unknown }).id;
  if (typeof id !== 'string' || !UUID.test(id)) return;
  for (const part of ['history', 'schedule', 'tasks', 'attachments']) requestEarly(`/api/v1/projects/${id}/${part}`);
  requestEarly(addressOf('/api/v1/ledger', { projectId: id, limit: 500 }));
}

/**
 * The requests of the screen the address opens, sent before the app renders: the session, my task
 * counts (the menu), and the page's own first data (the inbox's first page; a project's summary and
 * then its story). Everything else loads as the pages ask.
 */
export function requestFirstScreen(location: Location): void {
  if (location.pathname.startsWith('/sign-in')) return;
  requestEarly('/api/v1/auth/me');
  requestEarly('/api/v1/tasks/counts');
  if (location.pathname === '/') {
    requestEarly(addressOf('/api/v1/tasks', taskQueryOf(taskFilterOf(new URLSearchParams(location.search)), null, INBOX_PAGE_SIZE)));
    return;
  }
  const project = /^\/projects\/([^/]+)$/.exec(location.pathname)?.[1];
  if (project) {
    const ref = decodeURIComponent(project);
    requestEarly(UUID.test(ref) ? `/api/v1/projects/${ref}` : `/api/v1/projects/by-code/${encodeURIComponent(ref)}`, requestProjectStory);
  }
}

let signedIn: Me | null = null;

/** Waits for the early session answer and keeps it for takeSignedIn (null without a session). */
export async function awaitSession(): Promise<void> {
  const response = await takeEarly('GET', '/api/v1/auth/me');
  signedIn = response ? ((await response.json().catch(() => null)) as Me | null) : null;
}

/** The session the app opened with, handed once to the first session check (a later check asks the server). */
export function takeSignedIn(): Me | null {
  const me = signedIn;
  signedIn = null;
  return me;
}
