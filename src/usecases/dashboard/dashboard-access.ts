import type { Role } from '../../../config/roles.ts';
import { requireReader } from '../funds/read-policy.ts';

/**
 * Who sees the county dashboard: the readers of money in READ_POLICIES (finance, center,
 * supervisor, leadership, authority, admin). Inspectors and evaluators work on single projects and
 * applicants on their own; the dashboard's fund figures are the county's ledger, which they do not read.
 */
export function requireDashboardReader(role: Role): void {
  requireReader('money', role, 'the county dashboard');
}

/** The half-open UTC range of a Beijing calendar day or month, for timestamptz comparisons. */
export function beijingRange(fromDate: string, toDateExclusive: string): { from: string; to: string } {
  return { from: `${fromDate}T00:00:00+08:00`, to: `${toDateExclusive}T00:00:00+08:00` };
}
