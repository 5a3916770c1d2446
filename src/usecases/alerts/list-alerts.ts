import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listAlerts as listStoredAlerts } from '../../store/alerts.store.ts';

/** Alerts for my role (admins see all). */
export async function listAlerts(deps: EngineDeps, actor: Actor, filter: { open: boolean; limit: number }) {
  const roles = actor.role === 'admin' ? null : [actor.role];
  const rows = await listStoredAlerts(deps.db, { roles, open: filter.open, limit: filter.limit });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    severity: row.severity,
    projectId: row.project_id,
    projectCode: row.project_code,
    audienceRole: row.audience_role,
    message: row.message,
    details: row.details,
    at: new Date(row.created_at).toISOString(),
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
  }));
}
