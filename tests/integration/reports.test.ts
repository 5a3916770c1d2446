import type { ProjectContext } from '../../machines/project.types.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION_RULES } from '../../config/evaluation-rules.ts';
import { indicatorSchema } from '../../machines/project.schemas.ts';
import { eventPayloadSchemas, type ProjectEventType } from '../../machines/project.schemas.ts';
import { businessDateOf } from '../../src/domain/business-date.ts';
import { scoreEvaluation, type EvaluationInput } from '../../src/domain/evaluation-scoring.ts';
import { applyEvent } from '../../src/engine/apply-event.ts';
import { buildEvaluationReport, evaluationReportDocument } from '../../src/reports/evaluation-report.builder.ts';
import { renderReportCsv } from '../../src/reports/csv.renderer.ts';
import { createFund } from '../../src/store/ledger.store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, sampleTargets, startTestApp, type TestApp } from '../support/test-app.ts';
import { withMaterialsViaEngine } from '../support/materials.ts';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
let mainApi: ReturnType<typeof apiClient>;
let fundId: string;
let secondFundId: string;

const projects: Record<'closed' | 'terminated' | 'corrected' | 'reevaluated' | 'suspendedLate' | 'serious', string> = {} as never;

/** Sends one more event through the real engine, as drive.ts does. */
async function send(projectId: string, role: keyof TestApp['users'], type: ProjectEventType, payload: Record<string, unknown> = {}) {
  const user = app.users[role];
  await applyEvent(app.engine, {
    projectId,
    actor: { userId: user.id, role: user.role, orgId: user.orgId },
    channel: 'api',
    type,
    payload: eventPayloadSchemas[type].parse(await withMaterialsViaEngine(app, projectId, type, payload)) as Record<string, unknown>,
  });
}

async function download(path: string, token: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const response = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

const REEVALUATION = {
  indicators: [
    { indicatorId: 'OUT1', actual: 8, note: '完成 8 场' },
    { indicatorId: 'OUT2', actual: 150 },
    { indicatorId: 'EFF1', actual: 60 },
    { indicatorId: 'SAT1', band: 'partly-achieved', percent: 70 },
  ],
  report: {
    基本情况: '项目按计划实施。\n第二段<script>alert(1)</script>',
    评价工作开展情况: '财政局要求再评价后重新核查。',
    综合评价结论: '综合得分 76 分，等级为中。',
    绩效分析: '培训场次未达标。',
    存在问题: '宣传不足 & 组织欠佳。',
    建议: '加强组织。',
  },
};

/** The re-evaluation's score table, worked by hand above (budget execution first, without an indicator id). */
const SCORE_ROWS = [
  [null, 10, 0.83],
  ['OUT1', 33.33, 26.66],
  ['OUT2', 16.67, 16.67],
  ['EFF1', 30, 18],
  ['SAT1', 10, 7],
];
const LEVELS = [
  { level: '预算执行', weight: 10, score: 0.83 },
  { level: '产出', weight: 50, score: 43.33 },
  { level: '效益', weight: 30, score: 18 },
  { level: '满意度', weight: 10, score: 7 },
];

beforeAll(async () => {
  database = await createTestDatabase(10);
  app = await startTestApp(database.db);
  // The reports go through createApp (src/http/app.ts), the app src/main.ts mounts for `npm start`.
  api = apiClient(app.baseUrl);
  mainApi = api;
  fundId = (await app.db.query<{ id: string }>('SELECT id FROM funds'))[0]!.id;

  // 2024-10-08 10:00 Shanghai (the test clock's start)
  projects.closed = (await driveTo(app, 'closed')).id;
  projects.terminated = (await driveTo(app, 'terminated')).id;
  const recovery = await mainApi('POST', `/api/v1/projects/${projects.terminated}/recoveries`, {
    token: app.users.finance.token,
    body: { amountFen: 250_000, reason: '停止后追回' },
  });
  expect(recovery.status).toBe(201);

  // item 9: a deviation, a rejected and then an accepted correction, an unannounced re-inspection on track
  projects.corrected = (await driveTo(app, 'deviated-corrected.verifying', { item: 9 })).id;
  await send(projects.corrected, 'inspector', 'REJECT_CORRECTION', { reason: '材料不全', dueDate: '2024-12-15' });
  await send(projects.corrected, 'applicant', 'SUBMIT_CORRECTION', { text: '补齐材料' });
  await send(projects.corrected, 'supervisor', 'ACCEPT_CORRECTION');
  await send(projects.corrected, 'inspector', 'RECORD_INSPECTION', { kind: 'unannounced', date: '2024-10-20', inspectors: ['李四', '王五'], findings: [{ note: '台账已补' }] });
  await send(projects.corrected, 'supervisor', 'CONCLUDE_INSPECTION', { outcome: 'on-track' });

  // item 11: self-evaluation, re-evaluation ordered, re-evaluated and accepted
  projects.reevaluated = (await driveTo(app, 'evaluated.re-evaluation', { item: 11, beneficiaryCreditCode: '91140522MA0K3Y7R19' })).id;
  await send(projects.reevaluated, 'evaluator', 'SUBMIT_EVALUATION', REEVALUATION);
  await send(projects.reevaluated, 'finance', 'ACCEPT_EVALUATION');

  // item 3: executing; then at 2024-11-01 00:30 Shanghai (2024-10-31T16:30Z) an unannounced inspection
  // dated 2024-10-31 (counts in October) concluded serious (counts in November)
  projects.serious = (await driveTo(app, 'executing', { item: 3 })).id;
  app.clock.set('2024-10-31T16:30:00Z');
  await send(projects.serious, 'inspector', 'RECORD_INSPECTION', { kind: 'unannounced', date: '2024-10-31', inspectors: ['张三'] });
  await send(projects.serious, 'supervisor', 'CONCLUDE_INSPECTION', { outcome: 'serious', reason: '资金挪用' });
  // item 2: suspended in November
  projects.suspendedLate = (await driveTo(app, 'suspended.held', { item: 2 })).id;

  secondFundId = await createFund(
    app.db,
    { sourceDocument: '晋企发〔2023〕1号', name: '第二批奖励资金', amountFen: 5_000_000, receivedOn: '2024-10-15', categoryCeilingsFen: {}, itemCeilingsFen: {} },
    app.users.admin.id,
    app.clock.now().toISOString(),
  );
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

type Kind = 'allocate' | 'commit' | 'disburse' | 'release' | 'recover';
async function ledgerSums(fund?: string, item?: number): Promise<Record<Kind, number>> {
  const rows = await app.db.query<{ kind: Kind; total: number }>(
    `SELECT kind, sum(amount_fen)::int8 AS total FROM ledger_entries
      WHERE ($1::uuid IS NULL OR fund_id = $1::uuid) AND ($2::int IS NULL OR item = $2::int) GROUP BY kind`,
    [fund ?? null, item ?? null],
  );
  const sums: Record<Kind, number> = { allocate: 0, commit: 0, disburse: 0, release: 0, recover: 0 };
  for (const row of rows) sums[row.kind] = row.total;
  return sums;
}

describe('access and input', () => {
  it.each(['center', 'finance', 'supervisor', 'leadership', 'authority', 'admin'] as const)('%s may read reports', async (role) => {
    const response = await api('GET', `/api/v1/reports/fund-execution?fundId=${fundId}`, { token: app.users[role].token });
    expect(response.status).toBe(200);
  });

  it.each(['applicant', 'inspector', 'evaluator'] as const)('%s gets 403', async (role) => {
    for (const path of [
      `/api/v1/reports/fund-execution`,
      `/api/v1/reports/supervision?from=2024-10-01&to=2024-10-31`,
      `/api/v1/reports/evaluation/${projects.closed}.html`,
    ]) {
      const response = await api('GET', path, { token: app.users[role].token });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });

  it('without a token: 401', async () => {
    expect((await api('GET', '/api/v1/reports/fund-execution')).status).toBe(401);
  });

  it.each([
    ['/api/v1/reports/supervision?to=2024-10-31', 'from'],
    ['/api/v1/reports/supervision?from=2024-10-31&to=2024-10-01', 'to'],
    ['/api/v1/reports/supervision?from=2024-02-30&to=2024-03-01', 'from'],
    ['/api/v1/reports/supervision?from=2024-10-01&to=2024-10-31&format=pdf', 'format'],
    ['/api/v1/reports/supervision?from=2024-10-01&from=2024-10-02&to=2024-10-31', 'from'],
    ['/api/v1/reports/fund-execution?fundId=nope', 'fundId'],
    ['/api/v1/reports/fund-execution?format=doc', 'format'],
    ['/api/v1/reports/evaluation/not-a-uuid', 'projectId'],
    ['/api/v1/reports/evaluation/6f1c2b1e-8a4d-4c3e-9b7a-2d5e8f0a1b2c.pdf', 'projectId'],
  ])('GET %s → 400 naming %s', async (path, field) => {
    const response = await api('GET', path, { token: app.users.center.token });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('404 for an unknown fund or project, or a project not evaluated yet', async () => {
    const token = app.users.center.token;
    expect((await api('GET', '/api/v1/reports/fund-execution?fundId=6f1c2b1e-8a4d-4c3e-9b7a-2d5e8f0a1b2c', { token })).status).toBe(404);
    expect((await api('GET', '/api/v1/reports/evaluation/6f1c2b1e-8a4d-4c3e-9b7a-2d5e8f0a1b2c', { token })).status).toBe(404);
    const notYet = await api('GET', `/api/v1/reports/evaluation/${projects.terminated}.html`, { token });
    expect(notYet.status).toBe(404);
    expect(notYet.body.detail).toMatch(/not been evaluated/);
  });
});

describe('fund execution report', () => {
  it("totals, category and item sums equal the ledger's, for one fund", async () => {
    const response = await api('GET', `/api/v1/reports/fund-execution?fundId=${fundId}`, { token: app.users.finance.token });
    expect(response.status).toBe(200);
    const report = response.body;
    const ledger = await ledgerSums(fundId);
    expect(ledger.commit).toBeGreaterThan(0);
    expect(ledger.release).toBeGreaterThan(0);
    expect(ledger.recover).toBe(250_000);
    expect(report.totals).toMatchObject({
      allocatedFen: ledger.allocate,
      committedFen: ledger.commit,
      disbursedFen: ledger.disburse,
      releasedFen: ledger.release,
      recoveredFen: ledger.recover,
      availableFen: ledger.allocate - ledger.commit + ledger.release + ledger.recover,
    });
    expect(report.reconciliation).toEqual({ ledger, matches: true, differences: [] });
    const sum = (rows: Record<string, number>[], key: string) => rows.reduce((total, row) => total + row[key]!, 0);
    for (const [key, kind] of [['committedFen', 'commit'], ['disbursedFen', 'disburse'], ['releasedFen', 'release'], ['recoveredFen', 'recover']] as const) {
      expect(sum(report.items, key)).toBe(ledger[kind]);
      expect(sum(report.categories, key)).toBe(ledger[kind]);
    }
    expect(report.items).toHaveLength(13);
    expect(report.categories).toHaveLength(4);
    // item 5 (培训学习): the closed and the terminated project, each 120,000 元 committed and 10,000 元 paid
    const item5 = report.items.find((row: { item: number }) => row.item === 5);
    const ledger5 = await ledgerSums(fundId, 5);
    expect(item5).toMatchObject({ projects: 2, committedFen: ledger5.commit, disbursedFen: ledger5.disburse, releasedFen: ledger5.release, recoveredFen: 250_000 });
    // execution rate = (disbursed − recovered) / (committed − released) = (2,000,000 − 250,000) / 2,000,000 = 87.50%
    expect(ledger5).toMatchObject({ commit: 24_000_000, disburse: 2_000_000, release: 22_000_000 });
    expect(item5.executionRatePercent).toBe(87.5);
  });

  it('without fundId sums every fund, and still equals the ledger', async () => {
    const report = (await api('GET', '/api/v1/reports/fund-execution', { token: app.users.authority.token })).body;
    const ledger = await ledgerSums();
    expect(report.funds).toHaveLength(2);
    expect(report.totals).toMatchObject({ allocatedFen: ledger.allocate, committedFen: ledger.commit, disbursedFen: ledger.disburse });
    expect(report.totals.allocatedFen).toBe(1_000_000_000 + 5_000_000);
    expect(report.reconciliation.matches).toBe(true);
    const second = (await api('GET', `/api/v1/reports/fund-execution?fundId=${secondFundId}`, { token: app.users.authority.token })).body;
    expect(second.totals).toMatchObject({ allocatedFen: 5_000_000, committedFen: 0, executionRatePercent: null, availableFen: 5_000_000 });
  });

  it("the XLSX opens with exceljs and its totals equal the ledger's", async () => {
    const file = await download(`/api/v1/reports/fund-execution?fundId=${fundId}&format=xlsx`, app.users.finance.token);
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/spreadsheetml/);
    expect(file.disposition).toMatch(/attachment; filename="fund-execution-.+\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['报告', '资金总体情况', '分类别执行情况', '分事项执行情况']);
    const ledger = await ledgerSums(fundId);

    /** Reads the 合计 row of a sheet into { header label: value }. */
    const totalsOf = (name: string) => {
      const sheet = workbook.getWorksheet(name)!;
      const header = sheet.getRow(2).values as unknown[];
      let totals: unknown[] | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === '合计') totals = row.values as unknown[];
      });
      expect(totals).toBeDefined();
      return Object.fromEntries(header.map((label, index) => [String(label), totals![index]]).filter(([label]) => label !== 'undefined'));
    };
    const fen = (value: unknown) => Math.round((value as number) * 100);
    for (const name of ['分事项执行情况', '分类别执行情况']) {
      const totals = totalsOf(name);
      expect(fen(totals['已安排（元）'])).toBe(ledger.commit);
      expect(fen(totals['已拨付（元）'])).toBe(ledger.disburse);
      expect(fen(totals['额度收回（元）'])).toBe(ledger.release);
      expect(fen(totals['已追回（元）'])).toBe(ledger.recover);
    }
    const fundTotals = totalsOf('资金总体情况');
    expect(fen(fundTotals['到位金额（元）'])).toBe(ledger.allocate);
    expect(fen(fundTotals['已拨付（元）'])).toBe(ledger.disburse);
    // the item rows add up to the totals row in the sheet itself
    const items = workbook.getWorksheet('分事项执行情况')!;
    const column = (items.getRow(2).values as unknown[]).indexOf('已拨付（元）');
    let paid = 0;
    items.eachRow((row, number) => {
      if (number > 2 && /^\d+\. /.test(String(row.getCell(2).value))) paid += fen(row.getCell(column).value);
    });
    expect(paid).toBe(ledger.disburse);
    expect(items.getCell(3, 1).value).toBe('一、服务体系');
  });

  it('CSV has the Chinese header row, 元 amounts and the totals row', async () => {
    const response = await api('GET', `/api/v1/reports/fund-execution?fundId=${fundId}&format=csv`, { token: app.users.finance.token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (response.body as string).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('支持类别,支持事项,项目数,额度（元）,已安排（元）,额度收回（元）,安排净额（元）,已拨付（元）,已追回（元）,待拨付（元）,执行率（%）');
    expect(lines).toHaveLength(1 + 13 + 1);
    const ledger = await ledgerSums(fundId);
    const totals = lines.at(-1)!.split(',');
    expect(totals[0]).toBe('合计');
    expect(Math.round(Number(totals[7]) * 100)).toBe(ledger.disburse);
  });
});

describe('supervision report', () => {
  /** Counts computed straight from project_events, independently of the report's SQL. */
  async function countsFromEvents(from: string, to: string) {
    const rows = await app.db.query<{ project_id: string; event_type: string; payload: Record<string, unknown>; occurred_at: Date }>(
      `SELECT project_id, event_type, payload, occurred_at FROM project_events`,
    );
    const inPeriod = rows.filter((row) => {
      const day = row.event_type === 'RECORD_INSPECTION' ? String(row.payload.date) : businessDateOf(new Date(row.occurred_at));
      return day >= from && day <= to;
    });
    const n = (predicate: (row: (typeof rows)[number]) => boolean) => inPeriod.filter(predicate).length;
    const supervised = inPeriod.filter((row) =>
      ['RECORD_INSPECTION', 'CONCLUDE_INSPECTION', 'SUBMIT_CORRECTION', 'ACCEPT_CORRECTION', 'REJECT_CORRECTION', 'SUSPEND', 'RESUME', 'STOP', 'CONFIRM_STOP'].includes(row.event_type),
    );
    return {
      projects: new Set(supervised.map((row) => row.project_id)).size,
      regularInspections: n((row) => row.event_type === 'RECORD_INSPECTION' && row.payload.kind === 'regular'),
      unannouncedInspections: n((row) => row.event_type === 'RECORD_INSPECTION' && row.payload.kind === 'unannounced'),
      onTrack: n((row) => row.event_type === 'CONCLUDE_INSPECTION' && row.payload.outcome === 'on-track'),
      deviations: n((row) => row.event_type === 'CONCLUDE_INSPECTION' && row.payload.outcome === 'deviation'),
      serious: n((row) => row.event_type === 'CONCLUDE_INSPECTION' && row.payload.outcome === 'serious'),
      correctionsSubmitted: n((row) => row.event_type === 'SUBMIT_CORRECTION'),
      correctionsAccepted: n((row) => row.event_type === 'ACCEPT_CORRECTION'),
      correctionsRejected: n((row) => row.event_type === 'REJECT_CORRECTION'),
      suspensions: n((row) => row.event_type === 'SUSPEND' || (row.event_type === 'CONCLUDE_INSPECTION' && row.payload.outcome === 'serious')),
      resumptions: n((row) => row.event_type === 'RESUME'),
      stopRequests: n((row) => row.event_type === 'STOP'),
      stops: n((row) => row.event_type === 'CONFIRM_STOP'),
    };
  }

  it('October: counts match the events (an inspection counts on its own date)', async () => {
    const response = await api('GET', '/api/v1/reports/supervision?from=2024-10-01&to=2024-10-31', { token: app.users.authority.token });
    expect(response.status).toBe(200);
    const { summary, byItem, suspendedOrStopped, matters } = response.body;
    const expected = await countsFromEvents('2024-10-01', '2024-10-31');
    expect(summary).toMatchObject(expected);
    // by hand: regular 1 (item 9), unannounced 2 (item 9 on 10-20, item 3 dated 10-31 though recorded on 11-01 Shanghai),
    // deviation 1, corrections submitted 2 / rejected 1 / accepted 1, on track 1, the terminated project's SUSPEND, STOP, CONFIRM_STOP
    expect(summary).toMatchObject({
      projects: 3,
      inspections: 3,
      regularInspections: 1,
      unannouncedInspections: 2,
      deviations: 1,
      onTrack: 1,
      serious: 0,
      correctionsSubmitted: 2,
      correctionsRejected: 1,
      correctionsAccepted: 1,
      suspensions: 1,
      stopRequests: 1,
      stops: 1,
    });
    const item = (id: number) => byItem.find((row: { item: number }) => row.item === id);
    expect(byItem).toHaveLength(13);
    expect(item(9)).toMatchObject({ projects: 1, regularInspections: 1, unannouncedInspections: 1, deviations: 1, correctionsAccepted: 1, correctionsRejected: 1 });
    expect(item(3)).toMatchObject({ projects: 1, unannouncedInspections: 1, suspensions: 0 });
    // the terminated project (item 5): amounts from its balance row
    const [balance] = await app.db.query<Record<string, number>>('SELECT * FROM project_balances WHERE project_id = $1', [projects.terminated]);
    expect(item(5)).toMatchObject({
      projects: 1,
      suspensions: 1,
      stops: 1,
      approvedFen: balance!.committed_fen,
      disbursedFen: balance!.disbursed_fen,
      releasedFen: balance!.released_fen,
      recoveredFen: 250_000,
    });
    expect(suspendedOrStopped).toHaveLength(1);
    expect(suspendedOrStopped[0]).toMatchObject({ projectId: projects.terminated, stopped: true, stateZh: '已停止执行', approvedFen: 12_000_000, disbursedFen: 1_000_000, releasedFen: 11_000_000 });
    expect(matters).toHaveLength(12);
    expect(matters.map((matter: { date: string }) => matter.date)).toEqual([...matters.map((matter: { date: string }) => matter.date)].sort());
    // sums of the by-item rows are the summary's
    for (const key of ['regularInspections', 'unannouncedInspections', 'deviations', 'suspensions', 'stops', 'approvedFen', 'disbursedFen']) {
      expect(byItem.reduce((total: number, row: Record<string, number>) => total + row[key]!, 0)).toBe(summary[key]);
    }
  });

  it('November: the serious conclusion and the late suspension (Asia/Shanghai days)', async () => {
    const { summary, suspendedOrStopped } = (await api('GET', '/api/v1/reports/supervision?from=2024-11-01&to=2024-11-30', { token: app.users.leadership.token })).body;
    expect(summary).toMatchObject(await countsFromEvents('2024-11-01', '2024-11-30'));
    expect(summary).toMatchObject({ projects: 2, inspections: 0, serious: 1, suspensions: 2, stops: 0 });
    expect(suspendedOrStopped.map((row: { projectId: string }) => row.projectId).sort()).toEqual([projects.serious, projects.suspendedLate].sort());
    // 2024-10-31 (UTC day of the late events) holds only the inspection dated that day
    const lastOfOctober = (await api('GET', '/api/v1/reports/supervision?from=2024-10-31&to=2024-10-31', { token: app.users.leadership.token })).body;
    expect(lastOfOctober.summary).toMatchObject({ projects: 1, inspections: 1, serious: 0, suspensions: 0 });
  });

  it('the whole year, as HTML, XLSX and CSV', async () => {
    const token = app.users.supervisor.token;
    const json = (await api('GET', '/api/v1/reports/supervision?from=2024-01-01&to=2024-12-31', { token })).body;
    expect(json.summary).toMatchObject(await countsFromEvents('2024-01-01', '2024-12-31'));
    const html = await api('GET', '/api/v1/reports/supervision?from=2024-01-01&to=2024-12-31&format=html', { token });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
    for (const heading of ['一、总体情况', '二、分支持事项情况', '三、暂缓和停止的项目', '四、监督检查事项明细']) expect(html.body).toContain(heading);
    expect(html.body).not.toMatch(/<script/i);
    const csv = await api('GET', '/api/v1/reports/supervision?from=2024-01-01&to=2024-12-31&format=csv', { token });
    const lines = (csv.body as string).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('支持类别,支持事项,涉及项目数,定期检查,不定期检查,偏差,整改通过,整改退回,暂缓,停止,批准金额（元）,已拨付（元）,额度收回（元）,已追回（元）');
    expect(lines.at(-1)!.split(',').slice(0, 10)).toEqual(['合计', '', String(json.summary.projects), String(json.summary.regularInspections),
      String(json.summary.unannouncedInspections), String(json.summary.deviations), String(json.summary.correctionsAccepted),
      String(json.summary.correctionsRejected), String(json.summary.suspensions), String(json.summary.stops)]);
    const file = await download('/api/v1/reports/supervision?from=2024-01-01&to=2024-12-31&format=xlsx', token);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const detail = workbook.getWorksheet('事项明细')!;
    expect(detail.rowCount).toBe(2 + json.matters.length);
  });
});

describe('evaluation report', () => {
  it('the latest evaluation prevails: the re-evaluation, its scores and its report sections', async () => {
    const response = await api('GET', `/api/v1/reports/evaluation/${projects.reevaluated}`, { token: app.users.finance.token });
    expect(response.status).toBe(200);
    const { evaluation, scoreTable, sections, project } = response.body;
    // Budget 1,000,000 / 12,000,000 × 10 = 0.83 in both rounds. 产出 50 is split 40:20 = 33.33 + 16.67.
    // Self-evaluation: OUT1 12 ≥ 10 → 33.33; OUT2 150 ≤ 180 → 16.67; EFF1 80/100 × 30 = 24; SAT1 90% × 10 = 9 → 83.83 良.
    // Re-evaluation: OUT1 8/10 × 33.33 = 26.66; OUT2 → 16.67; EFF1 60/100 × 30 = 18; SAT1 70% × 10 = 7 → 69.16 中.
    expect(evaluation).toMatchObject({ round: 2, kind: 're-evaluation', kindZh: '再评价', totalScore: 69.16, grade: '中', review: 'accepted' });
    expect(evaluation.rounds.map((round: { totalScore: number; reviewZh: string }) => [round.totalScore, round.reviewZh])).toEqual([
      [83.83, '县财政局组织再评价'],
      [69.16, '县财政局审查通过'],
    ]);
    expect(scoreTable.rows.map((row: { indicatorId: string; weight: number; score: number }) => [row.indicatorId, row.weight, row.score])).toEqual(SCORE_ROWS);
    expect(scoreTable.rows.find((row: { indicatorId: string }) => row.indicatorId === 'OUT1').note).toBe('完成 8 场');
    expect(scoreTable.levels).toEqual(LEVELS);
    expect(scoreTable).toMatchObject({ totalWeight: 100, total: 69.16 });
    expect(sections).toEqual(REEVALUATION.report);
    expect(project).toMatchObject({ item: 11, approvedFen: 12_000_000, disbursedFen: 1_000_000 });
  });

  it('HTML: the six standard section headings, every text escaped, no scripts, print CSS', async () => {
    for (const path of [`/api/v1/reports/evaluation/${projects.reevaluated}.html`, `/api/v1/reports/evaluation/${projects.reevaluated}?format=html`]) {
      const response = await api('GET', path, { token: app.users.leadership.token });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
      const html = response.body as string;
      let last = -1;
      for (const heading of ['基本情况', '评价工作开展情况', '综合评价结论与评分表', '绩效分析', '存在问题', '建议']) {
        const at = html.indexOf(`、${heading}</h2>`);
        expect(at, heading).toBeGreaterThan(last);
        last = at;
      }
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain('@media print');
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('第二段&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('宣传不足 &amp; 组织欠佳。');
      expect(html).toContain('69.16');
    }
  });

  it('CSV: the score table with a Chinese header row; XLSX opens', async () => {
    const csv = await api('GET', `/api/v1/reports/evaluation/${projects.closed}.csv`, { token: app.users.center.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="evaluation-YC-\d{4}-05-\d{3}\.csv"/);
    const lines = (csv.body as string).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分,偏差原因及说明');
    expect(lines).toContain('产出,数量,举办培训场次,≥ 10 场,12 场,33.33,33.33,');
    expect(lines.at(-1)).toBe('合计,,,,,100.00,83.83,评价等级：良');

    const file = await download(`/api/v1/reports/evaluation/${projects.closed}.xlsx`, app.users.center.token);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('评分表')!;
    let total: unknown;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === '合计') total = row.getCell(7).value;
    });
    expect(total).toBe(83.83);
    const cover = workbook.getWorksheet('报告')!;
    const texts: string[] = [];
    cover.eachRow((row) => texts.push(String(row.getCell(1).value)));
    for (const heading of ['一、基本情况', '二、评价工作开展情况', '三、综合评价结论与评分表', '四、绩效分析', '五、存在问题', '六、建议']) expect(texts).toContain(heading);
  });
});

describe('evaluation report builder (pure)', () => {
  it("reads a record that carries scoreEvaluation's breakdown (scoring wired into the machine)", () => {
    const targets = sampleTargets.map((target) => indicatorSchema.parse(target));
    const input: EvaluationInput = {
      indicators: [
        { indicatorId: 'EFF1', actual: 120 },
        { indicatorId: 'SAT1', band: 'partly-achieved', percent: 70, note: '问卷 50 份' },
        { indicatorId: 'OUT1', actual: 8, note: '少 2 场' },
        { indicatorId: 'OUT2', actual: 200 },
      ],
    };
    const score = scoreEvaluation(targets, input, { committedFen: 12_000_000, disbursedFen: 9_000_000 }, DEFAULT_EVALUATION_RULES);
    const record = {
      round: 1,
      kind: 'self-evaluation',
      by: 'u',
      at: '2024-10-08T02:00:00.000Z',
      totalScore: score.total,
      grade: score.grade,
      scores: score.indicators.map(({ indicatorId, score: points }) => ({ indicatorId, score: points })),
      indicators: score.indicators,
      levels: score.levels,
      budgetExecution: score.budgetExecution,
    };
    const report = buildEvaluationReport(
      {
        project: { id: 'p', code: 'YC-2024-05-009', title: '培训', item: 5, state: 'evaluated.finance-review', org_name: '润城镇', requested_fen: 12_000_000, created_at: new Date(),
          context: { proposal: { targets, periodStart: '2024-10-01', periodEnd: '2025-09-30' }, evaluations: [record], committedFen: 12_000_000, disbursedFen: 9_000_000 } as unknown as ProjectContext },
        balance: null,
        events: [{ project_id: 'p', seq: 7, event_type: 'SUBMIT_EVALUATION', actor_role: 'evaluator', actor_name: '评价员', from_state: null, to_state: 'evaluated.finance-review', reason: null,
          occurred_at: new Date('2024-10-08T02:00:00Z'), payload: { input, report: REEVALUATION.report } }],
      },
      new Date('2024-10-09T00:00:00Z'),
    )!;
    // 85.98 as worked by hand in tests/unit/evaluation-scoring.test.ts
    expect(report.scoreTable.total).toBe(85.98);
    expect(report.scoreTable.totalWeight).toBe(100);
    expect(report.scoreTable.rows.map((row) => [row.level, row.indicatorId, row.actual, row.weight, row.score, row.note])).toEqual([
      ['预算执行', null, '75.00%', 10, 7.5, null],
      ['产出', 'OUT1', '8 场', 33.33, 26.66, '少 2 场'],
      ['产出', 'OUT2', '200 天', 16.67, 14.82, null],
      ['效益', 'EFF1', '120 家', 30, 30, null],
      ['满意度', 'SAT1', '部分达成（70%）', 10, 7, '问卷 50 份'],
    ]);
    expect(report.scoreTable.levels).toEqual([
      { level: '预算执行', weight: 10, score: 7.5 },
      { level: '产出', weight: 50, score: 41.48 },
      { level: '效益', weight: 30, score: 30 },
      { level: '满意度', weight: 10, score: 7 },
    ]);
    expect(report.evaluation).toMatchObject({ grade: '良', review: 'pending', evaluator: '评价员' });
    const csv = renderReportCsv(evaluationReportDocument(report)).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(csv.at(-1)).toBe('合计,,,,,100.00,85.98,评价等级：良');
  });
});
