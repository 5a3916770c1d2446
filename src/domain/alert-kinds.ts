import { z } from 'zod';

/**
 * The kinds of alert the service raises (src/usecases/checks, effects, reminders). Overdue alerts
 * carry their deadline (`overdue.inspection.regular`), so their family is `overdue`; the 双监控
 * alerts are `deviation.yellow` and `deviation.red`.
 */
export const ALERT_KINDS = [
  'overdue',
  'deviation.yellow',
  'deviation.red',
  'fund.exhausted',
  'task.links-expired',
  'reminder.failed',
  'reminder.no-recipient',
  'delivery.given-up',
  'effects.behind',
  'effect.forged',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What the alerts page filters by: one kind, or a family (`overdue`, `deviation`) of several. */
export const ALERT_KIND_FILTERS = [...ALERT_KINDS, 'deviation'] as const;
export const alertKindFilterSchema = z.enum(ALERT_KIND_FILTERS, { error: `must be one of ${ALERT_KIND_FILTERS.join(', ')}` });
export type AlertKindFilter = z.infer<typeof alertKindFilterSchema>;

export const ALERT_SEVERITIES = ['info', 'yellow', 'red'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The kind of a stored alert in the vocabulary, and the deadline of an overdue one. */
export function alertKindOf(stored: string): { kind: AlertKind | null; deadline: string | null } {
  if (stored.startsWith('overdue.')) return { kind: 'overdue', deadline: stored.slice('overdue.'.length) };
  return { kind: (ALERT_KINDS as readonly string[]).includes(stored) ? (stored as AlertKind) : null, deadline: null };
}
