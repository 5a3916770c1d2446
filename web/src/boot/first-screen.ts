import type { History, LedgerEntry, Me, ProjectTasks, ProjectView, Schedule, TaskCounts, TaskPage } from '../api/types.ts';
import { INBOX_PAGE_SIZE, taskQueryOf, type TaskFilter, taskFilterOf } from '../lib/tasks.ts';
import { requestEarly, takeEarlyJson } from './early-requests.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const addressOf = (path: string, query: Record<string, string | number | boolean>) =>
  `${path}?${new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)])).toString()}`;

const ME = '/api/v1/auth/me';
const COUNTS = '/api/v1/tasks/counts';
const inboxAddress = (filter: TaskFilter) => addressOf('/api/v1/tasks', taskQueryOf(filter, null, INBOX_PAGE_SIZE));
const projectAddress = (ref: string) => (UUID.test(ref) ? `/api/v1/projects/${ref}` : `/api/v1/projects/by-code/${encodeURIComponent(ref)}`);
const storyAddresses = (id: string) => ({
  history: `/api/v1/projects/${id}/history`,
  schedule: `/api/v1/projects/${id}/schedule`,
  tasks: `/api/v1/projects/${id}/tasks`,
  attachments: `/api/v1/projects/${id}/attachments`,
  ledger: addressOf('/api/v1/ledger', { projectId: id, limit: 500 }),
});

/** What a project page asks for once it knows the project's id (ProjectPage and its attachments card). */
function requestProjectStory(body: unknown): void {
  const id = (body as { id?: unknown }).id;
  if (typeof id !== 'string' || !UUID.test(id)) return;
  for (const address of Object.values(storyAddresses(id))) requestEarly(address);
}

/**
 * The requests of the screen the address opens, sent before the app renders: the session, my task
 * counts (the menu), and the page's own first data (the inbox's first page; a project's summary and
 * then its story). Everything else loads as the pages ask.
 */
export function requestFirstScreen(location: Location): void {
  if (location.pathname.startsWith('/sign-in')) return;
  requestEarly(ME);
  requestEarly(COUNTS);
  if (location.pathname === '/') {
    requestEarly(inboxAddress(taskFilterOf(new URLSearchParams(location.search))));
    return;
  }
  const project = /^\/projects\/([^/]+)$/.exec(location.pathname)?.[1];
  if (project) requestEarly(projectAddress(decodeURIComponent(project)), requestProjectStory);
}

const bodyOf = <T,>(address: string): T | null => {
  const answer = takeEarlyJson<T>(address);
  return answer?.ok ? answer.body : null;
};

/** The session the app opened with, once (a later check asks the server). */
export const takeSignedIn = (): Me | null => bodyOf<Me>(ME);

/** My task counts as the app opened, once. */
export const takeOpeningCounts = (): TaskCounts | null => bodyOf<TaskCounts>(COUNTS);

/** The inbox's first page as the app opened on it, once, if it was for this filter. */
export const takeOpeningInbox = (filter: TaskFilter): TaskPage | null => bodyOf<TaskPage>(inboxAddress(filter));

/** The project's attachments as the app opened on its page, once (the attachments card). */
export function takeOpeningAttachments<T>(projectId: string): T[] | null {
  return bodyOf<{ items: T[] }>(storyAddresses(projectId).attachments)?.items ?? null;
}

export interface OpeningProject {
  project: ProjectView;
  history: History;
  schedule: Schedule | null;
  ledger: LedgerEntry[] | null;
  tasks: ProjectTasks | null;
}

/**
 * The project page's data as the app opened on it, once: null unless the summary and the history
 * arrived (a schedule, ledger or task list closed to the reader counts as none, as on the page).
 */
export function takeOpeningProject(ref: string): OpeningProject | null {
  const project = bodyOf<ProjectView>(projectAddress(ref));
  if (!project) return null;
  const story = storyAddresses(project.id);
  const history = takeEarlyJson<History>(story.history);
  const schedule = takeEarlyJson<Schedule>(story.schedule);
  const ledger = takeEarlyJson<{ items: LedgerEntry[] }>(story.ledger);
  const tasks = takeEarlyJson<ProjectTasks>(story.tasks);
  if (!history?.ok || !schedule || !ledger || !tasks) return null;
  return {
    project,
    history: history.body,
    schedule: schedule.ok ? schedule.body : null,
    ledger: ledger.ok ? ledger.body.items : null,
    tasks: tasks.ok ? tasks.body : null,
  };
}
