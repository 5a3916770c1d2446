import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { localMailer } from '../../src/mail/mailer.ts';
import { runDailyChecks } from '../../src/usecases/checks/run-daily-checks.ts';
import { sendMonthlyReports } from '../../src/usecases/reports/send-monthly-reports.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, startTestApp, type StaffRole, type TestApp } from '../support/test-app.ts';

/**
 * The county's view (issue 13) through HTTP: the dashboard panels, the alerts filters and
 * acknowledgement note, the ledger export and the monthly-report history. Every money figure is
 * checked against the sums of the ledger API's own entries.
 */
let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;

const PANELS = ['balances', 'funnel', 'overdue', 'lights', 'disbursement', 'month'] as const;
const READERS: StaffRole[] = ['finance', 'center', 'supervisor', 'leadership', 'authority', 'admin'];
const KINDS = ['allocate', 'commit', 'disburse', 'release', 'recover'] as const;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** Σ of the ledger API's entries per kind (paging through /ledger), optionally for one fund. */
async function ledgerSums(fundId?: string): Promise<Record<(typeof KINDS)[number], number>> {
  const sums = { allocate: 0, commit: 0, disburse: 0, release: 0, recover: 0 };
  let after: number | null = null;
  do {
    const query = new URLSearchParams({ limit: '2', ...(fundId ? { fundId } : {}), ...(after !== null ? { after: String(after) } : {}) });
    const page = await api('GET', `/api/v1/ledger?${query}`, { token: app.users.finance.token });
    expect(page.status).toBe(200);
    for (const entry of page.body.items) sums[entry.kind as keyof typeof sums] += entry.amountFen;
    after = page.body.next;
  } while (after !== null);
  return sums;
}

describe('the county dashboard, alerts, ledger export and report history', () => {
  let secondFundId: string;

  beforeAll(async () => {
    const created = await api('POST', '/api/v1/funds', {
      token: app.users.finance.token,
      body: { sourceDocument: '阳财企〔2024〕9号', name: '第二批奖励资金', amountFen: 50_000_000, receivedOn: '2024-09-20', itemCeilingsFen: { '5': 40_000_000 } },
    });
    expect(created.status).toBe(201);
    secondFundId = created.body.id;
    await driveTo(app, 'executing');
    await driveTo(app, 'approved');
    const stopped = await driveTo(app, 'suspended.held');
    const recovery = await api('POST', `/api/v1/projects/${stopped.id}/recoveries`, { token: app.users.finance.token, body: { amountFen: 300_000, reason: '违规使用，追回' } });
    expect(recovery.status).toBe(201);
    await driveTo(app, 'proposed.review');
  });

  it('answers each panel to the readers of money, and 403 to inspectors, evaluators and applicants', async () => {
    for (const panel of PANELS) {
      for (const role of READERS) expect((await api('GET', `/api/v1/dashboard/${panel}`, { token: app.users[role].token })).status, `${panel} for ${role}`).toBe(200);
      for (const role of ['inspector', 'evaluator', 'applicant'] as const) {
        const refused = await api('GET', `/api/v1/dashboard/${panel}`, { token: app.users[role].token });
        expect(refused.status, `${panel} for ${role}`).toBe(403);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await api('GET', `/api/v1/dashboard/${panel}`)).status).toBe(401);
    }
  });

  it('shows balances equal to the sums of the ledger API, in total and per fund, with available by the ledger formula', async () => {
    const sums = await ledgerSums();
    const panel = (await api('GET', '/api/v1/dashboard/balances', { token: app.users.leadership.token })).body;
    expect(panel.funds).toBe(2);
    expect(panel.totals).toMatchObject({
      allocatedFen: sums.allocate,
      committedFen: sums.commit,
      disbursedFen: sums.disburse,
      releasedFen: sums.release,
      recoveredFen: sums.recover,
      availableFen: sums.allocate + sums.recover - (sums.commit - sums.release),
    });
    expect(sums.disburse).toBeGreaterThan(0);
    expect(sums.recover).toBe(300_000);
    const itemTotal = (key: 'committedFen' | 'disbursedFen' | 'recoveredFen') => panel.items.reduce((sum: number, item: Record<string, number>) => sum + item[key]!, 0);
    expect(itemTotal('committedFen')).toBe(sums.commit);
    expect(itemTotal('disbursedFen')).toBe(sums.disburse);
    expect(itemTotal('recoveredFen')).toBe(sums.recover);
    expect(panel.categories.reduce((sum: number, c: { committedFen: number }) => sum + c.committedFen, 0)).toBe(sums.commit);

    const funds = (await api('GET', '/api/v1/funds', { token: app.users.finance.token })).body.items;
    for (const fund of funds) {
      const one = (await api('GET', `/api/v1/dashboard/balances?fundId=${fund.id}`, { token: app.users.finance.token })).body;
      const fundSums = await ledgerSums(fund.id);
      expect(one.totals.allocatedFen).toBe(fundSums.allocate);
      expect(one.totals.committedFen).toBe(fundSums.commit);
      expect(one.totals.availableFen).toBe(fund.balances.availableFen);
    }
    const second = (await api('GET', `/api/v1/dashboard/balances?fundId=${secondFundId}`, { token: app.users.finance.token })).body;
    expect(second.items.find((item: { id: number }) => item.id === 5)).toMatchObject({ ceilingFen: 40_000_000, availableFen: 40_000_000 });
    expect(second.items.find((item: { id: number }) => item.id === 6)).toMatchObject({ ceilingFen: null, availableFen: null });

    const pace = (await api('GET', '/api/v1/dashboard/disbursement', { token: app.users.finance.token })).body;
    expect(pace.total.netCommittedFen).toBe(sums.commit - sums.release);
    expect(pace.total.netDisbursedFen).toBe(sums.disburse - sums.recover);
    expect(pace.elapsedPercent).toBeGreaterThan(0);
  });

  it('counts projects per stage, and this month in Beijing time', async () => {
    const funnel = (await api('GET', '/api/v1/dashboard/funnel', { token: app.users.center.token })).body;
    const stage = (state: string) => funnel.stages.find((s: { state: string }) => s.state === state).count;
    expect(funnel.total).toBe(4);
    expect([stage('proposed'), stage('approved'), stage('executing'), stage('suspended')]).toEqual([1, 1, 1, 1]);
    const month = (await api('GET', '/api/v1/dashboard/month', { token: app.users.center.token })).body;
    expect(month.month).toBe('2024-10');
    expect(month.proposals).toBe(4);
    expect(month.approved).toBe(3);
  });

  it('lists overdue deadlines and tasks, and the lights the daily check left', async () => {
    const before = (await api('GET', '/api/v1/dashboard/lights', { token: app.users.supervisor.token })).body;
    expect(before.checkedOn).toBeNull();
    // Deadlines and tasks are planned by the effects worker, which this file does not run: one of each, as it would write them.
    const [executing] = await app.db.query<{ id: string }>(`SELECT id FROM projects WHERE state = 'executing'`);
    await app.db.query(
      `INSERT INTO schedules (id, project_id, deadline, due_date, status, source_seq) VALUES (gen_random_uuid(), $1, 'progress.report', '2025-01-31', 'active', 1)`,
      [executing!.id],
    );
    await app.db.query(
      `INSERT INTO tasks (id, project_id, kind, role, status, due_date, opened_seq, created_at) VALUES (gen_random_uuid(), $1, 'conclude-inspection', 'supervisor', 'open', '2025-02-10', 1, now())`,
      [executing!.id],
    );
    app.clock.advanceDays(200);
    await runDailyChecks({ db: app.db, mailer: localMailer(app.db), publicUrl: 'http://localhost', rules: DEFAULT_MONITORING_RULES, now: app.clock.now });
    const lights = (await api('GET', '/api/v1/dashboard/lights', { token: app.users.supervisor.token })).body;
    expect(lights.checkedOn).toBe('2025-04-26');
    expect(lights.counts.green + lights.counts.yellow + lights.counts.red).toBe(1);
    const deviations = (await api('GET', '/api/v1/alerts?kind=deviation', { token: app.users.supervisor.token })).body.items;
    expect(lights.counts.red + lights.counts.yellow).toBe(new Set(deviations.map((a: { projectId: string }) => a.projectId)).size);
    const overdue = (await api('GET', '/api/v1/dashboard/overdue', { token: app.users.supervisor.token })).body;
    expect(overdue.deadlines.total).toBe(1);
    expect(overdue.tasks.total).toBe(1);
    expect(overdue.deadlines.oldest[0]).toMatchObject({ deadline: 'progress.report', dueDate: '2025-01-31', name: { zh: '进度报告' } });
    expect(overdue.tasks.oldest[0]).toMatchObject({ kind: 'conclude-inspection', name: { zh: '出具检查结论' } });
    expect(overdue.byItem).toEqual([{ item: 5, count: 2 }]);
  });

  it('filters alerts by kind, colour, item and acknowledged; acknowledges with a note', async () => {
    const all = (await api('GET', '/api/v1/alerts?acknowledged=false', { token: app.users.admin.token })).body.items;
    expect(all.length).toBeGreaterThan(0);
    for (const alert of all) expect(alert.kindName.zh).not.toBe(alert.kind);
    const red = (await api('GET', '/api/v1/alerts?severity=red&open=false', { token: app.users.admin.token })).body.items;
    expect(red.every((alert: { severity: string }) => alert.severity === 'red')).toBe(true);
    const overdue = (await api('GET', '/api/v1/alerts?kind=overdue', { token: app.users.supervisor.token })).body.items;
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((alert: { kind: string }) => alert.kind.startsWith('overdue.'))).toBe(true);
    const item5 = (await api('GET', '/api/v1/alerts?item=5&open=false', { token: app.users.admin.token })).body.items;
    expect(item5.every((alert: { item: number }) => alert.item === 5)).toBe(true);
    expect((await api('GET', '/api/v1/alerts?item=6&open=false', { token: app.users.admin.token })).body.items).toEqual([]);

    const target = overdue[0];
    const done = await api('POST', `/api/v1/alerts/${target.id}/acknowledge`, { token: app.users.supervisor.token, body: { note: '已电话督促项目单位' } });
    expect(done.status).toBe(200);
    const acknowledged = (await api('GET', '/api/v1/alerts?acknowledged=true', { token: app.users.supervisor.token })).body.items;
    expect(acknowledged.map((a: { id: string }) => a.id)).toEqual([target.id]);
    expect(acknowledged[0]).toMatchObject({ acknowledgedNote: '已电话督促项目单位', acknowledgedBy: 'supervisor 用户' });
    const stillOpen = (await api('GET', '/api/v1/alerts?acknowledged=false', { token: app.users.supervisor.token })).body.items;
    expect(stillOpen.some((a: { id: string }) => a.id === target.id)).toBe(false);

    const page = await api('GET', '/api/v1/alerts?open=false&limit=1', { token: app.users.admin.token });
    const next = await api('GET', `/api/v1/alerts?open=false&limit=1&before=${encodeURIComponent(page.body.next.before)}&beforeId=${page.body.next.beforeId}`, { token: app.users.admin.token });
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
  });

  it('answers 400 problem+json naming the field for bad filters', async () => {
    const cases: [string, string][] = [
      ['/api/v1/dashboard/balances?fundId=nope', 'fundId'],
      ['/api/v1/dashboard/disbursement?fundId=1', 'fundId'],
      ['/api/v1/dashboard/overdue?limit=0', 'limit'],
      ['/api/v1/alerts?kind=bogus', 'kind'],
      ['/api/v1/alerts?severity=purple', 'severity'],
      ['/api/v1/alerts?item=14', 'item'],
      ['/api/v1/alerts?acknowledged=maybe', 'acknowledged'],
      ['/api/v1/alerts?before=2024-10-01T00:00:00Z', 'beforeId'],
      ['/api/v1/ledger/export?format=pdf', 'format'],
      ['/api/v1/ledger/export?format=csv&kind=gift', 'kind'],
      ['/api/v1/ledger?item=0', 'item'],
    ];
    for (const [path, field] of cases) {
      const answer = await api('GET', path, { token: app.users.admin.token });
      expect(answer.status, path).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(answer.body.errors), path).toContain(field);
    }
    const note = await api('POST', '/api/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledge', { token: app.users.admin.token, body: { note: 'x'.repeat(2001) } });
    expect(note.status).toBe(400);
  });

  it('exports the filtered ledger as CSV and XLSX whose amounts sum to the ledger API', async () => {
    const sums = await ledgerSums();
    const csv = await fetch(`${app.baseUrl}/api/v1/ledger/export?format=csv&kind=disburse`, { headers: { authorization: `Bearer ${app.users.authority.token}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toContain('金额（元）');
    const amountColumn = lines[0]!.split(',').indexOf('金额（元）');
    const csvFen = lines.slice(1).reduce((sum, line) => sum + Math.round(Number(line.split(',')[amountColumn]) * 100), 0);
    expect(csvFen).toBe(sums.disburse);

    const xlsx = await fetch(`${app.baseUrl}/api/v1/ledger/export?format=xlsx`, { headers: { authorization: `Bearer ${app.users.finance.token}` } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet('资金台账')!;
    const header = sheet.getRow(2).values as unknown[];
    const kindColumn = header.indexOf('类型');
    const amountCol = header.indexOf('金额（元）');
    const byKind = new Map<string, number>();
    sheet.eachRow((row, number) => {
      const kind = row.getCell(kindColumn).value;
      const amount = row.getCell(amountCol).value;
      if (number > 2 && typeof kind === 'string' && typeof amount === 'number') byKind.set(kind, (byKind.get(kind) ?? 0) + Math.round(amount * 100));
    });
    expect(byKind.get('资金下达')).toBe(sums.allocate);
    expect(byKind.get('安排资金')).toBe(sums.commit);
    expect(byKind.get('拨付资金')).toBe(sums.disburse);
    expect(byKind.get('追回资金')).toBe(sums.recover);
    expect((await api('GET', '/api/v1/ledger/export?format=csv', { token: app.users.inspector.token })).status).toBe(403);
  });

  it('lists the monthly reports that were emailed, for report readers only', async () => {
    app.clock.set('2024-11-01T01:00:00Z');
    expect(await sendMonthlyReports({ db: app.db, mailer: localMailer(app.db), now: app.clock.now })).toBe(1);
    const history = await api('GET', '/api/v1/reports/monthly-history', { token: app.users.center.token });
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ month: '2024-10', from: '2024-10-01', to: '2024-10-31' });
    expect(history.body.items[0].recipients).toEqual([expect.objectContaining({ email: app.users.authority.email, status: 'sent' })]);
    expect((await api('GET', '/api/v1/reports/monthly-history', { token: app.users.evaluator.token })).status).toBe(403);
  });
});
