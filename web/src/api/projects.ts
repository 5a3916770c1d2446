import { ApiError } from '../lib/problem.ts';
import { api, request, unwrap } from './client.ts';
import type { History, LedgerEntry, ProjectTasks, ProjectView, Schedule } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A deep link names a project by id or by code (/projects/YC-2026-05-001); a code is looked up by the API in one call. */
export function loadProjectByRef(ref: string): Promise<ProjectView> {
  return UUID.test(ref)
    ? loadProject(ref)
    : unwrap<ProjectView>(api.GET('/api/v1/projects/by-code/{code}', { params: { path: { code: ref } } }));
}

/** The id of the project a deep link names (by id or code), or null when there is none the caller may see. */
export async function resolveProjectId(ref: string): Promise<string | null> {
  if (UUID.test(ref)) return ref;
  try {
    return (await loadProjectByRef(ref)).id;
  } catch (failure) {
    if (failure instanceof ApiError && (failure.problem.status === 404 || failure.problem.status === 400)) return null;
    throw failure;
  }
}

/** The project's open tasks and who holds them. */
export const loadProjectTasks = (id: string) => unwrap<ProjectTasks>(api.GET('/api/v1/projects/{id}/tasks', { params: { path: { id } } }));

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
