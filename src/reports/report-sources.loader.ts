import { storedContextOf } from '../../machines/project.restore.ts';
import type { ProjectContext } from '../../machines/project.types.ts';
import type { Database } from '../store/database.ts';

/**
 * Reads the rows the reports are built from: projects, the audit trail (project_events) and the
 * ledger. Loading only; every decision is in the pure *.builder.ts files.
 */

export interface ProjectHeaderRow {
  id: string;
  code: string;
  title: string;
  item: number;
  state: string;
  org_name: string;
  requested_fen: number;
  /** The project's context, read through restore (migrated to this build's machine version). */
  context: ProjectContext;
  created_at: Date;
}

export interface ProjectBalance {
  committed_fen: number;
  disbursed_fen: number;
  released_fen: number;
  recovered_fen: number;
}

export interface ReportEventRow {
  project_id: string;
  seq: number;
  event_type: string;
  actor_role: string;
  actor_name: string | null;
  from_state: string | null;
  to_state: string;
  payload: unknown;
  reason: string | null;
  occurred_at: Date;
}

const EVENT_COLUMNS = `e.project_id, e.seq, e.event_type, e.actor_role, u.name AS actor_name, e.from_state, e.to_state,
  e.payload, e.reason, e.occurred_at`;

export async function loadProjectHeader(db: Database, projectId: string): Promise<ProjectHeaderRow | undefined> {
  const rows = await db.query<Omit<ProjectHeaderRow, 'context'> & { machine_version: string; snapshot: unknown }>(
    `SELECT p.id, p.code, p.title, p.item, p.state, o.name AS org_name, p.requested_fen, p.machine_version, p.snapshot, p.created_at
       FROM projects p JOIN organisations o ON o.id = p.org_id WHERE p.id = $1`,
    [projectId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { machine_version, snapshot, ...header } = row;
  return { ...header, context: storedContextOf({ machine_version, snapshot }) };
}

export async function loadProjectBalance(db: Database, projectId: string): Promise<ProjectBalance | null> {
  const rows = await db.query<ProjectBalance>(
    'SELECT committed_fen, disbursed_fen, released_fen, recovered_fen FROM project_balances WHERE project_id = $1',
    [projectId],
  );
  return rows[0] ?? null;
}

export async function loadProjectEvents(db: Database, projectId: string): Promise<ReportEventRow[]> {
  return db.query<ReportEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM project_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.project_id = $1 ORDER BY e.seq`,
    [projectId],
  );
}
