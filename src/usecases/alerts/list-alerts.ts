import type { Actor } from '../../../machines/project.types.ts';
import { alertKindOf, type AlertKindFilter, type AlertSeverity } from '../../domain/alert-kinds.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { deadlineName, labelOf } from '../../i18n/messages.ts';
import { listAlerts as listStoredAlerts, type AlertRow } from '../../store/alerts.store.ts';

export interface AlertListFilter {
  /** true: open only; false: acknowledged only; null: both. */
  open: boolean | null;
  kind?: AlertKindFilter;
  severity?: AlertSeverity;
  item?: number;
  before?: { at: string; id: string };
  limit: number;
}

/** The kind as a person reads it: 定期检查逾期, 双监控红色预警; never the raw code. */
export function alertKindName(stored: string): { zh: string; en: string } {
  const { kind, deadline } = alertKindOf(stored);
  if (kind === 'overdue' && deadline) {
    const name = deadlineName(deadline);
    return { zh: `${name.zh}逾期`, en: `${name.en} overdue` };
  }
  if (kind) return labelOf('alert', kind);
  return { zh: '其他预警', en: 'Other alert' };
}

export function alertView(row: AlertRow) {
  return {
    id: row.id,
    kind: row.kind,
    kindName: alertKindName(row.kind),
    severity: row.severity,
    projectId: row.project_id,
    projectCode: row.project_code,
    item: row.project_item,
    audienceRole: row.audience_role,
    message: row.message,
    details: row.details,
    at: new Date(row.created_at).toISOString(),
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
    acknowledgedBy: row.acknowledged_by_name,
    acknowledgedNote: row.acknowledged_note,
  };
}

/** Alerts for my role (admins see all), newest first, filtered; `next` pages on to older ones. */
export async function listAlerts(deps: EngineDeps, actor: Actor, filter: AlertListFilter) {
  const roles = actor.role === 'admin' ? null : [actor.role];
  const rows = await listStoredAlerts(deps.db, { roles, ...filter });
  const last = rows.at(-1);
  return {
    items: rows.map(alertView),
    next: rows.length === filter.limit && last ? { before: new Date(last.created_at).toISOString(), beforeId: last.id } : null,
  };
}
