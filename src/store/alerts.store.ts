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
  project_item: number | null;
  audience_role: string;
  message: string;
  details: Record<string, unknown>;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  acknowledged_note: string | null;
}

export interface AlertFilter {
  /** null: every role's alerts (admins). */
  roles: string[] | null;
  /** true: only open; false: only acknowledged; null: both. */
  open: boolean | null;
  /** An exact kind, or a family: `overdue` and `deviation` match `overdue.*` and `deviation.*`. */
  kind?: string;
  severity?: string;
  item?: number;
  /** Keyset: alerts strictly older than this (created_at, id). */
  before?: { at: string; id: string };
  limit: number;
}

/** Alerts newest first, filtered by role, state, kind (or family), colour and the project's item. */
export async function listAlerts(db: Database, filter: AlertFilter): Promise<AlertRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.roles) where.push(`a.audience_role = ANY(${p(filter.roles)}::text[])`);
  if (filter.open === true) where.push('a.acknowledged_at IS NULL');
  if (filter.open === false) where.push('a.acknowledged_at IS NOT NULL');
  if (filter.kind) {
    const kind = p(filter.kind);
    where.push(`(a.kind = ${kind} OR a.kind LIKE ${kind} || '.%')`);
  }
  if (filter.severity) where.push(`a.severity = ${p(filter.severity)}`);
  if (filter.item !== undefined) where.push(`p.item = ${p(filter.item)}`);
  if (filter.before) where.push(`(a.created_at, a.id) < (${p(filter.before.at)}::timestamptz, ${p(filter.before.id)}::uuid)`);
  return db.query<AlertRow>(
    `SELECT a.*, p.code AS project_code, p.item AS project_item, u.name AS acknowledged_by_name
       FROM alerts a LEFT JOIN projects p ON p.id = a.project_id LEFT JOIN users u ON u.id = a.acknowledged_by
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY a.created_at DESC, a.id DESC LIMIT ${p(filter.limit)}`,
    params,
  );
}

/** Acknowledges an open alert (of one of `roles`, unless null) with an optional note; false when there is none. */
export async function acknowledgeAlert(db: Database, id: string, userId: string, roles: string[] | null, at: Date, note: string | null = null): Promise<boolean> {
  const rows = await db.query(
    `UPDATE alerts SET acknowledged_at = $3, acknowledged_by = $2, acknowledged_note = $5
      WHERE id = $1 AND acknowledged_at IS NULL AND ($4::text[] IS NULL OR audience_role = ANY($4::text[])) RETURNING id`,
    [id, userId, at.toISOString(), roles, note],
  );
  return rows.length === 1;
}
