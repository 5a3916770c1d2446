import type { MonitoringRules } from '../../../config/monitoring-rules.ts';
import { DAILY_CHECKS_JOB } from '../../jobs/periodic.job.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import { classifyDeviation } from '../../domain/deviation.ts';
import { escapeHtml } from '../../domain/escape-html.ts';
import { projectPageUrl } from '../../domain/page-links.ts';
import { formatYuan } from '../../domain/money.ts';
import { deliverOnce } from '../../mail/deliver-once.ts';
import { greeting, halfOf, sender } from '../../mail/letter.ts';
import { taskName } from '../../mail/task.template.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { listAlerts, raiseAlert } from '../../store/alerts.store.ts';
import { listActiveUsersOfRole, listOverdueSchedules, listTasksWithExpiredLinks } from '../../store/checks.store.ts';
import { listProjectContextsInState } from '../../store/projects.store.ts';
import { deadlineName } from '../../i18n/messages.ts';
import type { Database } from '../../store/database.ts';
import { availableFen, listFunds } from '../../store/ledger.store.ts';
import { recordPeriodicRun } from '../../store/periodic-runs.store.ts';

export interface ChecksDeps {
  db: Database;
  mailer: Mailer;
  publicUrl: string;
  rules: MonitoringRules;
  now: () => Date;
}

export interface ChecksReport {
  overdue: number;
  deviations: number;
  fundsExhausted: number;
  expiredLinks: number;
  digests: number;
}

/** The daily checks: overdue deadlines, 双监控 deviation, fund exhaustion, then one digest per recipient. */
export async function runDailyChecks(deps: ChecksDeps): Promise<ChecksReport> {
  const now = deps.now();
  const today = businessDateOf(now);
  const report: ChecksReport = { overdue: 0, deviations: 0, fundsExhausted: 0, expiredLinks: 0, digests: 0 };

  const overdue = await listOverdueSchedules(deps.db, today);
  for (const row of overdue) {
    const raised = await raiseAlert(deps.db, {
      kind: `overdue.${row.deadline}`,
      severity: 'red',
      projectId: row.project_id,
      audienceRole: row.deadline === 'finance.review' ? 'leadership' : 'supervisor',
      dedupeKey: `overdue.${row.id}.${row.due_date}`,
      message: `${row.code} ${deadlineName(row.deadline).zh}已逾期（应于 ${row.due_date}） / ${deadlineName(row.deadline).en} overdue since ${row.due_date}`,
      details: { deadline: row.deadline, dueDate: row.due_date, link: projectPageUrl(deps.publicUrl, row.code) },
      at: now,
    });
    if (raised) report.overdue += 1;
  }

  const executing = await listProjectContextsInState(deps.db, 'executing');
  for (const project of executing) {
    for (const finding of classifyDeviation(project.context, today, deps.rules)) {
      if (finding.level === 'green') continue;
      const raised = await raiseAlert(deps.db, {
        kind: `deviation.${finding.level}`,
        severity: finding.level,
        projectId: project.id,
        audienceRole: 'supervisor',
        dedupeKey: `deviation.${project.id}.${finding.measure}.${finding.level}.${today}`,
        message: `${project.code} 双监控${finding.level === 'red' ? '红' : '黄'}色预警：${measureName(finding.measure, project.context.proposal.targets).zh}完成 ${finding.actualPercent}%，时间进度 ${finding.elapsedPercent}%，落后 ${finding.behindPoints} 个百分点 / ${measureName(finding.measure, project.context.proposal.targets).en} behind by ${finding.behindPoints} points`,
        details: { ...finding, link: projectPageUrl(deps.publicUrl, project.code) },
        at: now,
      });
      if (raised) report.deviations += 1;
    }
  }

  for (const fund of await listFunds(deps.db)) {
    if (availableFen(fund) > 0 || fund.received_on > today) continue;
    const raised = await raiseAlert(deps.db, {
      kind: 'fund.exhausted',
      severity: 'yellow',
      projectId: null,
      audienceRole: 'finance',
      dedupeKey: `fund-exhausted.${fund.fund_id}.${fund.committed_fen}`,
      message: `奖励资金已全部安排，暂停受理新的申报：${fund.name}（${fund.source_document}），已安排 ${formatYuan(fund.committed_fen)} 元 / the fund is fully committed; no new proposals are accepted`,
      at: now,
    });
    if (raised) report.fundsExhausted += 1;
  }

  const expired = await listTasksWithExpiredLinks(deps.db, now);
  for (const task of expired) {
    const raised = await raiseAlert(deps.db, {
      kind: 'task.links-expired',
      severity: 'yellow',
      projectId: task.project_id,
      audienceRole: task.role,
      dedupeKey: `links-expired.${task.id}`,
      message: `${task.code} 待办事项“${taskName(task.kind).zh}”的邮件链接已过期，事项仍未办理，请登录系统办理 / the email links of the open task "${taskName(task.kind).en}" expired; act in the system`,
      details: { taskId: task.id, link: projectPageUrl(deps.publicUrl, task.code) },
      at: now,
    });
    if (raised) report.expiredLinks += 1;
  }

  report.digests = await sendDigests(deps, today, now);
  // Applied for its business date: the reconciler runs a day whose run Redis lost (see catch-up).
  await recordPeriodicRun(deps.db, DAILY_CHECKS_JOB.name, today, now);
  return report;
}

/** One email per recipient per day listing the open alerts of their role; keyed so it goes once. */
async function sendDigests(deps: ChecksDeps, today: string, now: Date): Promise<number> {
  const open = await listAlerts(deps.db, { roles: null, open: true, limit: 5_000 });
  const byRole = new Map<string, typeof open>();
  for (const alert of open) byRole.set(alert.audience_role, [...(byRole.get(alert.audience_role) ?? []), alert]);
  let sent = 0;
  for (const [role, alerts] of byRole) {
    const users = await listActiveUsersOfRole(deps.db, role);
    for (const user of users) {
      const outcome = await deliverOnce(deps.db, deps.mailer, deps.now, {
        key: `digest.${today}.${user.id}`,
        userId: user.id,
        email: user.email,
        compose: () => ({
          subject: user.locale === 'en' ? `[Yangcheng SME fund] ${alerts.length} open alert(s) on ${today}` : `【阳城县奖励资金】${today} 待处理预警 ${alerts.length} 条`,
          text: digestText(user, alerts, deps.publicUrl),
          html: `<!doctype html><html lang="${user.locale === 'en' ? 'en' : 'zh-CN'}"><body><p>${escapeHtml(greeting(user.locale !== 'en', user.name))}</p><ul>${alerts
            .map((alert) => `<li>${severityLabel(alert.severity, user.locale)}${escapeHtml(halfOf(alert.message, user.locale !== 'en'))}</li>`)
            .join('')}</ul><p>${escapeHtml(sender(user.locale !== 'en'))}</p></body></html>`,
        }),
      });
      if (outcome.status === 'failed') throw new Error(`digest failed: ${outcome.error}`);
      if (outcome.status === 'sent') sent += 1;
    }
  }
  return sent;
}

/** 【红色预警】 rather than [red]: people read these, not programs (WORDING.md). */
function severityLabel(severity: string, locale: string): string {
  if (locale === 'en') return severity === 'red' ? '[RED ALERT] ' : severity === 'yellow' ? '[YELLOW ALERT] ' : '';
  return severity === 'red' ? '【红色预警】' : severity === 'yellow' ? '【黄色预警】' : '';
}

/** Greeting, one line per alert, where to act (the staff pages, never the JSON API), sender. */
function digestText(user: { name: string; locale: string }, alerts: { severity: string; message: string }[], publicUrl: string): string {
  // Alert messages are "中文 / English": each reader gets their own half.
  const lines = alerts.map((alert) => `- ${severityLabel(alert.severity, user.locale)}${halfOf(alert.message, user.locale !== 'en')}`).join('\n');
  const home = `${publicUrl.replace(/\/+$/, '')}/`;
  if (user.locale === 'en') return `Dear ${user.name},\n\nThese alerts are open today:\n\n${lines}\n\nPlease open ${home} to act on them.\n\nYangcheng County SME Development Promotion Center`;
  return `${user.name}同志，您好：\n\n截至今日，以下预警尚待处理：\n\n${lines}\n\n请登录系统办理：${home}\n\n阳城县中小企业发展促进中心`;
}

/** A 双监控 measure in words: 指标“举办培训场次” for indicator:OUT1, 资金拨付进度 for the disbursement rate. */
function measureName(measure: string, targets: readonly { id: string; name: string }[]): { zh: string; en: string } {
  if (measure === 'disbursement') return { zh: '资金拨付进度', en: 'disbursement' };
  const id = measure.startsWith('indicator:') ? measure.slice('indicator:'.length) : measure;
  const name = targets.find((target) => target.id === id)?.name ?? id;
  return { zh: `指标“${name}”`, en: `indicator "${name}"` };
}
