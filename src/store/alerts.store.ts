import { randomUUID } from 'node:crypto';
import type { Database } from './database.ts';

export interface AlertInput {
  kind: string;
  severity: 'info' | 'yellow' | 'red';
  projectId: string | null;
  audienceRole: string;
  dedupeKey: string;
  message: string;
  details?: Record<string, unknown>;
  at: Date;
}

/** Raises an alert once per dedupe key; returns whether it is new. */
export async function raiseAlert(db: Database, alert: AlertInput): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO alerts (id, kind, severity, project_id, audience_role, dedupe_key, message, details, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [randomUUID(), alert.kind, alert.severity, alert.projectId, alert.audienceRole, alert.dedupeKey, alert.message,
      JSON.stringify(alert.details ?? {}), alert.at.toISOString()],
  );
  return rows.length === 1;
}

export interface AlertRow {
  id: string;
  kind: string;
  severity: string;
  project_id: string | null;
  project_code: string | null;
  audience_role: string;
  message: string;
  details: Record<string, unknown>;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

export async function listAlerts(db: Database, options: { roles: string[] | null; open: boolean; limit: number }): Promise<AlertRow[]> {
  return db.query<AlertRow>(
    `SELECT a.*, p.code AS project_code FROM alerts a LEFT JOIN projects p ON p.id = a.project_id
      WHERE ($1::text[] IS NULL OR a.audience_role = ANY($1::text[])) AND (NOT $2 OR a.acknowledged_at IS NULL)
      ORDER BY a.created_at DESC LIMIT $3`,
    [options.roles, options.open, options.limit],
  );
}

export async function acknowledgeAlert(db: Database, id: string, userId: string, roles: string[] | null, at: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE alerts SET acknowledged_at = $3, acknowledged_by = $2
      WHERE id = $1 AND acknowledged_at IS NULL AND ($4::text[] IS NULL OR audience_role = ANY($4::text[])) RETURNING id`,
    [id, userId, at.toISOString(), roles],
  );
  return rows.length === 1;
}
