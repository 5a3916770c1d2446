import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { createFund } from '../../src/store/ledger.store.ts';
import { planDeadlines } from '../../src/store/schedule-planning.store.ts';
import { runDailyChecks, type ChecksDeps, type ChecksReport } from '../../src/usecases/checks/run-daily-checks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';

/**
 * The daily checks (workers/checks.worker.ts) on the real PostgreSQL and a real SMTP server, on the
 * app's TestClock: "today" is 2024-11-20 in Asia/Shanghai, 50 days into a 100-day project period.
 */

const TODAY = '2024-11-20';
const TODAY_AT = `${TODAY}T02:00:00Z`; // 10:00 in Shanghai

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
let sink: SmtpSink;
let mailer: Mailer;
let deps: ChecksDeps;
const projects = {} as Record<'onTrackish' | 'behind' | 'overdue' | 'smallFund', string>;
let smallFundId: string;
let first: ChecksReport;
let second: ChecksReport;

interface AlertRow {
  id: string;
  kind: string;
  severity: string;
  project_id: string | null;
  audience_role: string;
  dedupe_key: string;
  message: string;
  details: Record<string, unknown>;
}

const pageOf = async (projectId: string) =>
  `http://fundflow.test/projects/${(await database.db.query<{ code: string }>('SELECT code FROM projects WHERE id = $1', [projectId]))[0]!.code}`;
const alerts = (where = 'true', params: unknown[] = []) =>
  app.db.query<AlertRow>(`SELECT id, kind, severity, project_id, audience_role, dedupe_key, message, details FROM alerts WHERE ${where} ORDER BY kind, dedupe_key`, params);

async function send(projectId: string, role: keyof TestApp['users'], type: string, payload: Record<string, unknown> = {}) {
  const body = await withMaterialsOverHttp(app, projectId, { type, ...payload });
  const answer = await api('POST', `/api/v1/projects/${projectId}/events`, { token: app.users[role].token, body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** A 100-day period (2024-10-01 .. 2025-01-09), 100,000 元 approved, a first tranche of `disbursedFen`. */
async function executingProject(disbursedFen: number): Promise<string> {
  const { id } = await driveTo(app, 'approved', { requestedFen: 10_000_000, periodStart: '2024-10-01', periodEnd: '2025-01-09' });
  await send(id, 'finance', 'DISBURSE', { amountFen: disbursedFen });
  return id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  sink = new SmtpSink();
  mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
  deps = { db: app.db, mailer, publicUrl: 'http://fundflow.test', rules: DEFAULT_MONITORING_RULES, now: app.clock.now };

  // 双监控: the disbursement rate and each quantitative indicator against the 50% of the period elapsed.
  projects.onTrackish = await executingProject(4_100_000); // 41%: 9 points behind, green
  projects.behind = await executingProject(3_000_000); // 30%: 20 points behind, red
  // Deadlines: three past (two for the supervisor, the finance review for the leadership group), one today, one ahead.
  projects.overdue = (await driveTo(app, 'deviated-corrected.correcting')).id;
  const due: [string, string][] = [
    ['inspection.regular', '2024-11-10'],
    ['correction', '2024-11-19'],
    ['finance.review', '2024-11-01'],
    ['progress.report', TODAY],
    ['evaluation', '2024-12-01'],
  ];
  for (const [index, [deadline, dueDate]] of due.entries()) {
    await planDeadlines(app.db, [{ projectId: projects.overdue, seq: 100 + index, deadline, dueDate }], app.clock.now(), () => []);
  }
  // A second, small fund that one approval uses up.
  smallFundId = await createFund(
    app.db,
    { sourceDocument: '晋企发〔2024〕9号', name: '小额奖励资金', amountFen: 5_000_000, receivedOn: '2024-09-01', categoryCeilingsFen: {}, itemCeilingsFen: {} },
    app.users.admin.id,
    app.clock.now().toISOString(),
  );
  projects.smallFund = (await driveTo(app, 'proposed.review', { requestedFen: 5_000_000 })).id;
  await send(projects.smallFund, 'center', 'APPROVE');
  await send(projects.smallFund, 'finance', 'APPROVE', { fundId: smallFundId });

  app.clock.set(TODAY_AT);
  const report = { periodStart: '2024-10-01', periodEnd: '2024-11-19' };
  // OUT1 (target >= 10): 4 is 40%, 10 behind: yellow. EFF1 (target >= 100): 41 is 41%, 9 behind: green.
  await send(projects.onTrackish, 'applicant', 'REPORT_PROGRESS', { ...report, indicators: [{ indicatorId: 'OUT1', value: 4 }, { indicatorId: 'EFF1', value: 41 }] });
  // OUT1: 3.1 is 31%, 19 behind: yellow. EFF1: 30 is 30%, 20 behind: red.
  await send(projects.behind, 'applicant', 'REPORT_PROGRESS', { ...report, indicators: [{ indicatorId: 'OUT1', value: 3.1 }, { indicatorId: 'EFF1', value: 30 }] });

  first = await runDailyChecks(deps);
  app.clock.set(`${TODAY}T08:00:00Z`); // later the same day in Shanghai (16:00)
  second = await runDailyChecks(deps);
});

afterAll(async () => {
  mailer?.close();
  await sink?.stop();
  await app?.close();
  await database?.drop();
});

describe('daily checks', () => {
  it('an overdue deadline raises one red alert, to the role that must act, and a second run repeats none', async () => {
    const overdue = await alerts(`kind LIKE 'overdue.%'`);
    expect(overdue.map((a) => [a.kind, a.severity, a.audience_role, a.project_id])).toEqual([
      ['overdue.correction', 'red', 'supervisor', projects.overdue],
      ['overdue.finance.review', 'red', 'leadership', projects.overdue],
      ['overdue.inspection.regular', 'red', 'supervisor', projects.overdue],
    ]);
    expect(overdue.map((a) => a.details.dueDate)).toEqual(['2024-11-19', '2024-11-01', '2024-11-10']);
    expect(overdue.map((a) => a.details.link)).toEqual(Array(3).fill(await pageOf(projects.overdue)));
    expect(overdue[0]!.message).toContain('整改已逾期');
    expect(first.overdue).toBe(3);
    expect(second.overdue).toBe(0);
  });

  it('双监控: yellow at 10 or more points behind the elapsed share, red at 20, nothing below 10, once a day', async () => {
    const found = (await alerts(`kind LIKE 'deviation.%'`)).map((a) => ({
      project: a.project_id === projects.onTrackish ? 'onTrackish' : a.project_id === projects.behind ? 'behind' : a.project_id,
      severity: a.severity,
      audience: a.audience_role,
      measure: a.details.measure,
      elapsed: a.details.elapsedPercent,
      behind: a.details.behindPoints,
    }));
    const sorted = found.sort((a, b) => `${a.project}${a.measure}`.localeCompare(`${b.project}${b.measure}`));
    expect(sorted).toEqual([
      { project: 'behind', severity: 'red', audience: 'supervisor', measure: 'disbursement', elapsed: 50, behind: 20 },
      { project: 'behind', severity: 'yellow', audience: 'supervisor', measure: 'indicator:OUT1', elapsed: 50, behind: 19 },
      { project: 'behind', severity: 'red', audience: 'supervisor', measure: 'indicator:EFF1', elapsed: 50, behind: 20 },
      { project: 'onTrackish', severity: 'yellow', audience: 'supervisor', measure: 'indicator:OUT1', elapsed: 50, behind: 10 },
    ].sort((a, b) => `${a.project}${a.measure}`.localeCompare(`${b.project}${b.measure}`)));
    const red = (await alerts(`kind = 'deviation.red' AND project_id = $1`, [projects.behind]))[0]!;
    expect(red.message).toContain('双监控红色预警');
    // People read the measure in words (WORDING.md), never the code kept in details.measure.
    const behindMessages = (await alerts(`kind LIKE 'deviation.%' AND project_id = $1`, [projects.behind])).map((a) => a.message);
    expect(behindMessages.some((message) => message.includes('资金拨付进度完成'))).toBe(true);
    expect(behindMessages.some((message) => /指标“[^”]+”完成/.test(message))).toBe(true);
    expect(behindMessages.join('\n')).not.toContain('indicator:');
    expect(red.details.link).toBe(await pageOf(projects.behind));
    expect(red.details.link).toMatch(/^http:\/\/fundflow\.test\/projects\/YC-\d{4}-\d{2}-\d{3}$/);
    expect(first.deviations).toBe(4);
    expect(second.deviations).toBe(0);
  });

  it('a fund with nothing left uncommitted raises one fund-exhausted alert for finance', async () => {
    const exhausted = await alerts(`kind = 'fund.exhausted'`);
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({ severity: 'yellow', audience_role: 'finance', project_id: null });
    expect(exhausted[0]!.message).toContain('小额奖励资金');
    expect(exhausted[0]!.dedupe_key).toContain(smallFundId);
    expect(first.fundsExhausted).toBe(1);
    expect(second.fundsExhausted).toBe(0);
  });

  it('one digest email per recipient per day: none on a second run the same day, a new one the next day', async () => {
    const byRole = { supervisor: app.users.supervisor, leadership: app.users.leadership, finance: app.users.finance };
    expect(first.digests).toBe(3);
    expect(second.digests).toBe(0);
    expect(sink.received.map((mail) => mail.messageId).sort()).toEqual(
      Object.values(byRole).map((user) => `<digest.${TODAY}.${user.id}@fundflow>`).sort(),
    );
    const digestOf = (email: string) => sink.received.find((mail) => mail.to.includes(email))!;
    const supervisorDigest = digestOf(byRole.supervisor.email);
    expect(supervisorDigest.subject).toBe(`【阳城县奖励资金】${TODAY} 待处理预警 6 条`);
    expect(supervisorDigest.text.split('\n').filter((line) => line.startsWith('- 【红色预警】'))).toHaveLength(4);
    expect(supervisorDigest.text).toContain('请登录系统办理：http://fundflow.test/');
    expect(supervisorDigest.text).not.toContain('/api/v1/');
    expect(digestOf(byRole.leadership.email).subject).toContain('待处理预警 1 条');
    expect(digestOf(byRole.finance.email).text).toContain('奖励资金已全部安排，暂停受理新的申报');
    const rows = await app.db.query<{ delivery_key: string; status: string }>(`SELECT delivery_key, status FROM deliveries WHERE delivery_key LIKE 'digest.%'`);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);

    app.clock.set('2024-11-21T02:00:00Z');
    const nextDay = await runDailyChecks(deps);
    // The progress report due yesterday is overdue now: one new alert, none repeated.
    expect(nextDay.overdue).toBe(1);
    expect((await alerts(`kind LIKE 'overdue.%'`)).map((a) => a.kind)).toContain('overdue.progress.report');
    expect(nextDay.digests).toBe(3);
    expect(sink.received.filter((mail) => mail.messageId.startsWith('<digest.2024-11-21.'))).toHaveLength(3);
    expect((await runDailyChecks(deps)).digests).toBe(0);
    expect(sink.received).toHaveLength(6);
  });

  it('GET /api/v1/alerts shows the caller role its own alerts; POST .../acknowledge acknowledges once', async () => {
    const list = async (role: keyof TestApp['users'], query = '') => {
      const answer = await api('GET', `/api/v1/alerts${query}`, { token: app.users[role].token });
      expect(answer.status).toBe(200);
      return answer.body.items as { id: string; kind: string; audienceRole: string; projectId: string | null; projectCode: string | null; acknowledgedAt: string | null }[];
    };
    const supervisor = await list('supervisor');
    expect(supervisor.length).toBeGreaterThan(0);
    expect(supervisor.every((alert) => alert.audienceRole === 'supervisor')).toBe(true);
    expect(supervisor.filter((alert) => alert.kind.startsWith('overdue.')).map((alert) => alert.kind).sort()).toEqual(['overdue.correction', 'overdue.inspection.regular', 'overdue.progress.report']);
    expect((await list('leadership')).map((alert) => alert.kind)).toEqual(['overdue.finance.review']);
    expect((await list('finance')).map((alert) => alert.kind)).toEqual(['fund.exhausted']);
    expect((await list('applicant'))).toEqual([]);
    expect((await list('admin')).length).toBe((await alerts(`acknowledged_at IS NULL`)).length);

    const target = supervisor.find((alert) => alert.kind === 'overdue.correction')!;
    expect(target.projectCode).toMatch(/\S/);
    const byFinance = await api('POST', `/api/v1/alerts/${target.id}/acknowledge`, { token: app.users.finance.token });
    expect(byFinance.status).toBe(404);
    const acknowledged = await api('POST', `/api/v1/alerts/${target.id}/acknowledge`, { token: app.users.supervisor.token });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toEqual({ id: target.id, acknowledged: true });
    expect((await list('supervisor')).some((alert) => alert.id === target.id)).toBe(false);
    const all = await list('supervisor', '?open=false');
    expect(all.find((alert) => alert.id === target.id)!.acknowledgedAt).toBe(new Date(app.clock.now()).toISOString());
    const again = await api('POST', `/api/v1/alerts/${target.id}/acknowledge`, { token: app.users.supervisor.token });
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    const bad = await api('POST', '/api/v1/alerts/not-a-uuid/acknowledge', { token: app.users.supervisor.token });
    expect(bad.status).toBe(400);

    // Acknowledged stays acknowledged: the next run raises nothing new for the same overdue deadline.
    const rerun = await runDailyChecks(deps);
    expect(rerun.overdue).toBe(0);
    expect((await alerts(`kind = 'overdue.correction'`))).toHaveLength(1);
  });

  it('the daily checks run as a BullMQ job scheduler, 08:00 Asia/Shanghai, upserted at every start', async () => {
    const workers = await startTestWorkers(app, mailer, { names: ['checks'] });
    try {
      const again = await startTestWorkers(app, mailer, { names: ['checks'], prefix: workers.prefix });
      await again.stop();
      const schedulers = await workers.queues.checks.getJobSchedulers();
      const daily = schedulers.filter((scheduler) => scheduler.key === 'daily-checks');
      expect(daily).toHaveLength(1);
      expect(daily[0]).toMatchObject({ pattern: DEFAULT_MONITORING_RULES.dailyChecksCron, tz: 'Asia/Shanghai' });
      const job = await workers.queues.checks.add('daily-checks', {});
      const done = await eventually(async () => (await job.isCompleted()) && (await workers.queues.checks.getJob(job.id!)), 'the checks job to complete');
      expect(done.returnvalue).toMatchObject({ overdue: 0, deviations: 0, digests: 0 });
    } finally {
      await workers.queues.checks.obliterate({ force: true });
      await workers.stop();
    }
  });
});
