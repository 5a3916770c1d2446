import type { MonitoringRules } from '../config/monitoring-rules.ts';
import { listProjectContextsInState } from '../src/store/projects.store.ts';
import { businessDateOf } from '../src/domain/business-date.ts';
import { classifyDeviation } from '../src/domain/deviation.ts';
import { escapeHtml } from '../src/domain/escape-html.ts';
import { formatYuan } from '../src/domain/money.ts';
import { deadlineName } from '../src/i18n/messages.ts';
import { deliverOnce } from '../src/mail/deliver-once.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { listAlerts, raiseAlert } from '../src/store/alerts.store.ts';
import type { Database } from '../src/store/database.ts';
import { availableFen, listFunds } from '../src/store/ledger.store.ts';

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

  const overdue = await deps.db.query<{ id: string; project_id: string; code: string; deadline: string; due_date: string }>(
    `SELECT s.id, s.project_id, p.code, s.deadline, to_char(s.due_date, 'YYYY-MM-DD') AS due_date
       FROM schedules s JOIN projects p ON p.id = s.project_id WHERE s.status = 'active' AND s.due_date < $1::date`,
    [today],
  );
  for (const row of overdue) {
    const raised = await raiseAlert(deps.db, {
      kind: `overdue.${row.deadline}`,
      severity: 'red',
      projectId: row.project_id,
      audienceRole: row.deadline === 'finance.review' ? 'leadership' : 'supervisor',
      dedupeKey: `overdue.${row.id}.${row.due_date}`,
      message: `${row.code} ${deadlineName(row.deadline).zh}已逾期（应于 ${row.due_date}） / ${row.deadline} overdue since ${row.due_date}`,
      details: { deadline: row.deadline, dueDate: row.due_date, link: `${deps.publicUrl}/api/v1/projects/${row.project_id}` },
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
        message: `${project.code} 双监控${finding.level === 'red' ? '红' : '黄'}色预警：${finding.measure} 完成 ${finding.actualPercent}%，时间进度 ${finding.elapsedPercent}%，落后 ${finding.behindPoints} 个百分点 / behind by ${finding.behindPoints} points`,
        details: { ...finding, link: `${deps.publicUrl}/api/v1/projects/${project.id}` },
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
      message: `资金已用完：${fund.name}（${fund.source_document}），已承诺 ${formatYuan(fund.committed_fen)} 元；新的申报将被拒绝 / the fund is exhausted`,
      at: now,
    });
    if (raised) report.fundsExhausted += 1;
  }

  const expired = await deps.db.query<{ id: string; project_id: string; code: string; kind: string; role: string }>(
    `SELECT t.id, t.project_id, p.code, t.kind, t.role FROM tasks t JOIN projects p ON p.id = t.project_id
      WHERE t.status = 'open' AND EXISTS (SELECT 1 FROM task_links l WHERE l.task_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM task_links l WHERE l.task_id = t.id AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > $1)`,
    [now.toISOString()],
  );
  for (const task of expired) {
    const raised = await raiseAlert(deps.db, {
      kind: 'task.links-expired',
      severity: 'yellow',
      projectId: task.project_id,
      audienceRole: task.role,
      dedupeKey: `links-expired.${task.id}`,
      message: `${task.code} 待办（${task.kind}）的邮件链接已过期，事项仍未办理，请在系统中办理 / the email links of an open task expired; act in the system`,
      details: { taskId: task.id, link: `${deps.publicUrl}/api/v1/tasks` },
      at: now,
    });
    if (raised) report.expiredLinks += 1;
  }

  report.digests = await sendDigests(deps, today, now);
  return report;
}

/** One email per recipient per day listing the open alerts of their role; keyed so it goes once. */
async function sendDigests(deps: ChecksDeps, today: string, now: Date): Promise<number> {
  const open = await listAlerts(deps.db, { roles: null, open: true, limit: 5_000 });
  const byRole = new Map<string, typeof open>();
  for (const alert of open) byRole.set(alert.audience_role, [...(byRole.get(alert.audience_role) ?? []), alert]);
  let sent = 0;
  for (const [role, alerts] of byRole) {
    const users = await deps.db.query<{ id: string; email: string; name: string; locale: string }>(
      `SELECT id, email, name, locale FROM users WHERE active AND role = $1`,
      [role],
    );
    for (const user of users) {
      const outcome = await deliverOnce(deps.db, deps.mailer, deps.now, {
        key: `digest.${today}.${user.id}`,
        userId: user.id,
        email: user.email,
        compose: () => ({
          subject: user.locale === 'en' ? `fundflow: ${alerts.length} open alert(s) on ${today}` : `【fundflow】${today} 待处理预警 ${alerts.length} 条`,
          text: `${user.name}：\n\n${alerts.map((alert) => `- [${alert.severity}] ${alert.message}`).join('\n')}\n\n${deps.publicUrl}/api/v1/alerts`,
          html: `<!doctype html><html><body><p>${escapeHtml(user.name)}：</p><ul>${alerts
            .map((alert) => `<li>[${alert.severity}] ${escapeHtml(alert.message)}</li>`)
            .join('')}</ul></body></html>`,
        }),
      });
      if (outcome.status === 'failed') throw new Error(`digest failed: ${outcome.error}`);
      if (outcome.status === 'sent') sent += 1;
    }
  }
  return sent;
}
