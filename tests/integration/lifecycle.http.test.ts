import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { MATERIAL_NAMES, samplePdf, uploadOverHttp } from '../support/materials.ts';
import { apiClient, sampleProposal, startTestApp, type TestApp } from '../support/test-app.ts';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const report = { 基本情况: '项目基本情况', 评价工作开展情况: '开展情况', 综合评价结论: '结论', 绩效分析: '分析', 存在问题: '问题', 建议: '建议' };

describe('one project from draft to closed, through HTTP on PostgreSQL', () => {
  it('is moved by the right roles, and the trail shows every step', async () => {
    const { users } = app;
    const created = await api('POST', '/api/v1/projects', { token: users.applicant.token, body: sampleProposal() });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('proposed.draft');
    expect(created.body.code).toMatch(/^YC-2024-05-\d{3}$/);
    expect(created.body.allowedEvents).toEqual(expect.arrayContaining(['SUBMIT', 'UPDATE_PROPOSAL', 'WITHDRAW']));
    const id = created.body.id as string;

    const send = async (role: keyof TestApp['users'], body: Record<string, unknown>) => {
      const response = await api('POST', `/api/v1/projects/${id}/events`, { token: users[role].token, body });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    };

    const refused = async (role: keyof TestApp['users'], body: Record<string, unknown>) => {
      const response = await api('POST', `/api/v1/projects/${id}/events`, { token: users[role].token, body });
      expect(response.status, JSON.stringify(response.body)).toBe(422);
      expect(response.body.refusals.map((r: { code: string }) => r.code)).toEqual(['materials-missing']);
      return response.body;
    };
    const attach = async (role: keyof TestApp['users'], kind: keyof typeof MATERIAL_NAMES, note: string) => {
      const answer = await uploadOverHttp(app.baseUrl, users[role].token, id, { kind, name: MATERIAL_NAMES[kind], bytes: samplePdf(note) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body as { id: string; sha256: string };
    };

    // Required materials (config/required-materials.ts): a proposal goes in with its 申报书 and 预算明细.
    const noFiles = await refused('applicant', { type: 'SUBMIT' });
    expect(noFiles.detail).toContain('申报书；预算明细');
    expect(noFiles.detailEn).toContain('application form; budget details');
    await attach('applicant', 'proposal', '申报书');
    await attach('applicant', 'budget', '预算明细');
    await send('applicant', { type: 'SUBMIT' });
    expect((await send('center', { type: 'APPROVE', comment: '材料齐全' })).state).toBe('proposed.review');
    const approved = await send('finance', { type: 'APPROVE' });
    expect(approved.state).toBe('approved');
    expect(approved.context.committedFen).toBe(12_000_000);
    // First tranche: against a contract, with a 国库支付凭证 number in the configured format.
    expect((await refused('finance', { type: 'DISBURSE', amountFen: 6_000_000, voucher: 'GKZF-2024-000001' })).detail).toContain('合同或发票或验收材料');
    const contract = await attach('applicant', 'contract', '培训服务合同');
    expect((await refused('finance', { type: 'DISBURSE', amountFen: 6_000_000 })).detail).toContain('国库支付凭证号');
    expect((await refused('finance', { type: 'DISBURSE', amountFen: 6_000_000, voucher: '第1号' })).refusals[0].params.missing).toBe('voucher-format');
    const first = await send('finance', { type: 'DISBURSE', amountFen: 6_000_000, voucher: 'GKZF-2024-000001' });
    expect(first.state).toBe('executing');
    app.clock.advanceDays(30);
    await send('applicant', {
      type: 'REPORT_PROGRESS',
      periodStart: '2024-10-01',
      periodEnd: '2024-12-31',
      indicators: [{ indicatorId: 'OUT1', value: 4 }],
      spentFen: 3_000_000,
    });
    expect((await send('inspector', { type: 'RECORD_INSPECTION', kind: 'regular', date: '2024-11-05', inspectors: ['张三'] })).state).toBe('inspected');
    const deviation = { type: 'CONCLUDE_INSPECTION', outcome: 'deviation', correction: '补充培训记录', dueDate: '2024-11-30' };
    expect((await refused('supervisor', deviation)).detail).toContain('检查证据');
    await attach('inspector', 'inspection-evidence', '检查记录');
    expect((await send('supervisor', deviation)).state).toBe('deviated-corrected.correcting');
    expect((await refused('applicant', { type: 'SUBMIT_CORRECTION', text: '已补充' })).detail).toContain('整改材料');
    await attach('applicant', 'correction-material', '整改报告');
    await send('applicant', { type: 'SUBMIT_CORRECTION', text: '已补充' });
    expect((await send('inspector', { type: 'ACCEPT_CORRECTION' })).state).toBe('executing');
    // Second tranche: the first tranche's contract does not count again; a new invoice does.
    expect((await refused('finance', { type: 'DISBURSE', amountFen: 5_000_000, voucher: 'GKZF-2024-000002' })).detail).toContain('须在上次同类办理之后上传');
    const invoice = await attach('applicant', 'invoice', '第二期发票');
    await send('finance', { type: 'DISBURSE', amountFen: 5_000_000, voucher: 'GKZF-2024-000002' });
    expect((await send('applicant', { type: 'COMPLETE' })).state).toBe('evaluated.self-evaluation');
    const indicators = [
      { indicatorId: 'OUT1', actual: 12 },
      { indicatorId: 'OUT2', actual: 150 },
      { indicatorId: 'EFF1', actual: 80 },
      { indicatorId: 'SAT1', band: 'achieved', percent: 90 },
    ];
    const evaluated = await send('evaluator', { type: 'SUBMIT_EVALUATION', indicators, report });
    expect(evaluated.state).toBe('evaluated.finance-review');
    // Budget 11/12 × 10 = 9.17; 产出 50 split 40:20 = 33.33 + 16.67, both met; 效益 80/100 × 30 = 24; 满意度 90% × 10 = 9.
    expect(evaluated.context.evaluations[0]).toMatchObject({ totalScore: 92.17, grade: '优' });
    await send('finance', { type: 'ACCEPT_EVALUATION' });
    const closed = await send('center', { type: 'CLOSE' });
    expect(closed.state).toBe('closed');
    expect(closed.allowedEvents).toEqual([]);

    const history = await api('GET', `/api/v1/projects/${id}/history`, { token: users.authority.token });
    expect(history.status).toBe(200);
    const attached = history.body.events.filter((event: { type: string }) => event.type === 'ATTACH_FILE');
    expect(attached).toHaveLength(6);
    // Each tranche's audit event names the files it was paid against, by their hashes.
    const disbursements = history.body.events.filter((event: { type: string }) => event.type === 'DISBURSE');
    expect(disbursements.map((event: { payload: { materials: { sha256: string }[]; voucher: string } }) => [event.payload.materials.map((m) => m.sha256), event.payload.voucher])).toEqual([
      [[contract.sha256], 'GKZF-2024-000001'],
      [[invoice.sha256], 'GKZF-2024-000002'],
    ]);
    const transitions = history.body.events.filter((event: { type: string }) => event.type !== 'ATTACH_FILE');
    expect(transitions.map((event: { type: string }) => event.type)).toEqual([
      'PROPOSE', 'SUBMIT', 'APPROVE', 'APPROVE', 'DISBURSE', 'REPORT_PROGRESS', 'RECORD_INSPECTION', 'CONCLUDE_INSPECTION',
      'SUBMIT_CORRECTION', 'ACCEPT_CORRECTION', 'DISBURSE', 'COMPLETE', 'SUBMIT_EVALUATION', 'ACCEPT_EVALUATION', 'CLOSE',
    ]);
    expect(transitions[2]).toMatchObject({ channel: 'api', from: 'proposed.review', to: 'proposed.review', reason: '材料齐全' });
    expect(transitions[2].actor).toMatchObject({ id: users.center.id, role: 'center' });

    const ledger = await api('GET', `/api/v1/ledger?projectId=${id}`, { token: users.finance.token });
    expect(ledger.body.items.map((entry: { kind: string; amountFen: number }) => [entry.kind, entry.amountFen])).toEqual([
      ['commit', 12_000_000],
      ['disburse', 6_000_000],
      ['disburse', 5_000_000],
      ['release', 1_000_000],
    ]);
  });
});
