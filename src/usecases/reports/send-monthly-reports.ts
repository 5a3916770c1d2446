import { monthlyReportMailText } from '../../mail/monthly-report.template.ts';
import { addDays, businessDateOf } from '../../domain/business-date.ts';
import { deliverOnce } from '../../mail/deliver-once.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { renderReportHtml } from '../../reports/html.renderer.ts';
import { buildFundExecutionReport, fundExecutionReportDocument } from '../../reports/fund-execution-report.builder.ts';
import { loadFundExecutionSource } from '../../reports/fund-execution-report.loader.ts';
import { buildSupervisionReport, supervisionReportDocument } from '../../reports/supervision-report.builder.ts';
import { loadSupervisionReportSource } from '../../reports/supervision-report.loader.ts';
import { renderReportXlsx } from '../../reports/xlsx.renderer.ts';
import { listActiveUsersOfRole } from '../../store/checks.store.ts';
import type { Database } from '../../store/database.ts';
import { recordPeriodicRun } from '../../store/periodic-runs.store.ts';
import { MONTHLY_REPORTS_JOB } from '../../jobs/periodic.job.ts';

export interface MonthlyReportDeps {
  db: Database;
  mailer: Mailer;
  now: () => Date;
}

/** The previous calendar month (Asia/Shanghai) of `today`, as [first day, last day]. */
export function previousMonth(today: string): { from: string; to: string; label: string } {
  const firstOfThisMonth = `${today.slice(0, 7)}-01`;
  const to = addDays(firstOfThisMonth, -1);
  return { from: `${to.slice(0, 7)}-01`, to, label: to.slice(0, 7) };
}

/**
 * The monthly supervision and fund execution reports (plan 四: supervision results are reported to
 * the province, the city, the leadership group and the finance bureau), emailed to every active
 * user of the authority role, once per month and recipient (the delivery key says so).
 */
export async function sendMonthlyReports(deps: MonthlyReportDeps): Promise<number> {
  const now = deps.now();
  const month = previousMonth(businessDateOf(now));
  const supervision = buildSupervisionReport(await loadSupervisionReportSource(deps.db, month.from, month.to), now);
  const supervisionDoc = supervisionReportDocument(supervision);
  const fundSource = await loadFundExecutionSource(deps.db, null);
  const fundDoc = fundSource ? fundExecutionReportDocument(buildFundExecutionReport(fundSource, now)) : null;
  const attachments = [
    { filename: `supervision-${month.label}.xlsx`, content: await renderReportXlsx(supervisionDoc, now) },
    ...(fundDoc ? [{ filename: `fund-execution-${month.label}.xlsx`, content: await renderReportXlsx(fundDoc, now) }] : []),
  ];
  const recipients = await listActiveUsersOfRole(deps.db, 'authority');
  let sent = 0;
  for (const recipient of recipients) {
    const outcome = await deliverOnce(deps.db, deps.mailer, deps.now, {
      key: `monthly-report.${month.label}.${recipient.id}`,
      userId: recipient.id,
      email: recipient.email,
      compose: () => ({
        ...monthlyReportMailText({ recipientName: recipient.name, monthLabel: month.label, from: month.from, to: month.to, withFundReport: fundDoc !== null }),
        html: renderReportHtml(supervisionDoc) + (fundDoc ? renderReportHtml(fundDoc) : ''),
        attachments,
      }),
    });
    if (outcome.status === 'failed') throw new Error(`monthly report failed: ${outcome.error}`);
    if (outcome.status === 'sent') sent += 1;
  }
  await recordPeriodicRun(deps.db, MONTHLY_REPORTS_JOB.name, month.label, now);
  return sent;
}
