import type { Actor } from '../../../machines/project.types.ts';
import { addDays } from '../../domain/business-date.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { MONTHLY_REPORTS_JOB } from '../../jobs/periodic.job.ts';
import { listMonthlyReportDeliveries, listPeriodicRuns } from '../../store/report-history.store.ts';
import { requireReader } from '../funds/read-policy.ts';

/** The last day of a YYYY-MM month. */
function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/**
 * 月报发送记录: each month whose supervision and fund execution reports were emailed to the
 * authority role, with every recipient and the delivery status, newest month first. A month's
 * report can be shown again with /reports/supervision?from=&to= for its period.
 */
export async function listMonthlyReportHistory(deps: EngineDeps, actor: Actor, limit = 24) {
  requireReader('reports', actor.role, 'the monthly report history');
  const [runs, deliveries] = await Promise.all([listPeriodicRuns(deps.db, MONTHLY_REPORTS_JOB.name, limit), listMonthlyReportDeliveries(deps.db, limit * 50)]);
  const months = new Map<string, { appliedAt: string | null; recipients: ReturnType<typeof recipientOf>[] }>();
  for (const run of runs) months.set(run.period, { appliedAt: new Date(run.applied_at).toISOString(), recipients: [] });
  for (const delivery of deliveries) {
    const month = /^monthly-report\.(\d{4}-\d{2})\./.exec(delivery.delivery_key)?.[1];
    if (!month) continue;
    if (!months.has(month)) months.set(month, { appliedAt: null, recipients: [] });
    months.get(month)!.recipients.push(recipientOf(delivery));
  }
  return {
    items: [...months]
      .sort(([a], [b]) => b.localeCompare(a))
      .slice(0, limit)
      .map(([month, entry]) => ({ month, from: `${month}-01`, to: lastDayOf(month), ...entry })),
  };
}

function recipientOf(delivery: Awaited<ReturnType<typeof listMonthlyReportDeliveries>>[number]) {
  return {
    name: delivery.name,
    email: delivery.email,
    status: delivery.status,
    attempts: delivery.attempts,
    sentAt: delivery.sent_at ? new Date(delivery.sent_at).toISOString() : null,
    error: delivery.error,
  };
}
