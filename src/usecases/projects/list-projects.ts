import { z } from 'zod';
import type { Actor } from '../../../machines/project.types.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import { decodeCursor, encodeCursor } from '../../domain/keyset-cursor.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { summarizeProject } from '../../engine/project-view.ts';
import { listProjects as listStoredProjects, type MonitoringLight } from '../../store/projects.store.ts';

export interface ProjectListQuery {
  state?: string | undefined;
  item?: number | undefined;
  orgId?: string | undefined;
  overdue?: boolean | undefined;
  light?: MonitoringLight | undefined;
  /** Part of the code or title. */
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const projectCursorSchema = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

/** A page of projects, newest first (keyset by creation); applicants see only their own organisation's. */
export async function listProjects(deps: EngineDeps, actor: Actor, query: ProjectListQuery) {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(projectCursorSchema, query.cursor);
  if (query.cursor !== undefined && !cursor) throw AppError.badInput([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
  let orgId = query.orgId;
  if (actor.role === 'applicant') {
    if (orgId && orgId !== actor.orgId) return { items: [], nextCursor: null };
    orgId = actor.orgId!;
  }
  const rows = await listStoredProjects(deps.db, {
    today: businessDateOf(deps.now()),
    limit: query.limit + 1,
    ...(query.state ? { state: query.state } : {}),
    ...(query.item !== undefined ? { item: query.item } : {}),
    ...(orgId ? { orgId } : {}),
    ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
    ...(query.light ? { light: query.light } : {}),
    ...(query.q?.trim() ? { search: query.q.trim() } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ ...summarizeProject(row), light: row.light, overdue: row.overdue })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: new Date(last.created_at).toISOString(), id: last.id }) : null,
  };
}
