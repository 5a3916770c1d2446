import { api, request, unwrap } from './client.ts';
import type { History, LedgerEntry, ProjectPage, ProjectView, Schedule } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A deep link names a project by id or by code (/projects/YC-2026-05-001). The API reads projects
 * by id only, so a code is found by paging the list (newest first) until it appears.
 */
export async function resolveProjectId(ref: string): Promise<string | null> {
  if (UUID.test(ref)) return ref;
  let cursor: string | undefined;
  for (let page = 0; page < 200; page += 1) {
    const answer = await unwrap<ProjectPage>(api.GET('/api/v1/projects', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    const found = answer.items.find((item) => item.code === ref);
    if (found) return found.id;
    if (!answer.nextCursor) return null;
    cursor = answer.nextCursor;
  }
  return null;
}

export const loadProject = (id: string) => unwrap<ProjectView>(api.GET('/api/v1/projects/{id}', { params: { path: { id } } }));
export const loadHistory = (id: string) => unwrap<History>(api.GET('/api/v1/projects/{id}/history', { params: { path: { id } } }));
export const loadSchedule = (id: string) => unwrap<Schedule>(api.GET('/api/v1/projects/{id}/schedule', { params: { path: { id } } }));

/** The project's ledger entries, or null for a reader the ledger is closed to (applicants). */
export async function loadLedger(id: string): Promise<LedgerEntry[] | null> {
  try {
    const answer = await unwrap<{ items: LedgerEntry[] }>(api.GET('/api/v1/ledger', { params: { query: { projectId: id, limit: 500 } } }));
    return answer.items;
  } catch {
    return null;
  }
}

/** Sends one event, based on the version the page shows (a change meanwhile answers 409). */
export function sendEvent(id: string, version: number, type: string, payload: Record<string, unknown>) {
  return request<ProjectView>('POST', `/api/v1/projects/${id}/events`, { type, ...payload }, { 'If-Match': `"${version}"` });
}
