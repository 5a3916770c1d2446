import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
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

    await send('applicant', { type: 'SUBMIT' });
    expect((await send('center', { type: 'APPROVE', comment: '材料齐全' })).state).toBe('proposed.review');
    const approved = await send('finance', { type: 'APPROVE' });
    expect(approved.state).toBe('approved');
    expect(approved.context.committedFen).toBe(12_000_000);
    expect((await send('finance', { type: 'DISBURSE', amountFen: 6_000_000 })).state).toBe('executing');
    app.clock.advanceDays(30);
    await send('applicant', {
      type: 'REPORT_PROGRESS',
      periodStart: '2024-10-01',
      periodEnd: '2024-12-31',
      indicators: [{ indicatorId: 'OUT1', value: 4 }],
      spentFen: 3_000_000,
    });
    expect((await send('inspector', { type: 'RECORD_INSPECTION', kind: 'regular', date: '2024-11-05', inspectors: ['张三'] })).state).toBe('inspected');
    expect((await send('supervisor', { type: 'CONCLUDE_INSPECTION', outcome: 'deviation', correction: '补充培训记录', dueDate: '2024-11-30' })).state).toBe(
      'deviated-corrected.correcting',
    );
    await send('applicant', { type: 'SUBMIT_CORRECTION', text: '已补充' });
    expect((await send('inspector', { type: 'ACCEPT_CORRECTION' })).state).toBe('executing');
    await send('finance', { type: 'DISBURSE', amountFen: 5_000_000 });
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
    expect(history.body.events.map((event: { type: string }) => event.type)).toEqual([
      'PROPOSE', 'SUBMIT', 'APPROVE', 'APPROVE', 'DISBURSE', 'REPORT_PROGRESS', 'RECORD_INSPECTION', 'CONCLUDE_INSPECTION',
      'SUBMIT_CORRECTION', 'ACCEPT_CORRECTION', 'DISBURSE', 'COMPLETE', 'SUBMIT_EVALUATION', 'ACCEPT_EVALUATION', 'CLOSE',
    ]);
    expect(history.body.events[2]).toMatchObject({ channel: 'api', from: 'proposed.review', to: 'proposed.review', reason: '材料齐全' });
    expect(history.body.events[2].actor).toMatchObject({ id: users.center.id, role: 'center' });

    const ledger = await api('GET', `/api/v1/ledger?projectId=${id}`, { token: users.finance.token });
    expect(ledger.body.items.map((entry: { kind: string; amountFen: number }) => [entry.kind, entry.amountFen])).toEqual([
      ['commit', 12_000_000],
      ['disburse', 6_000_000],
      ['disburse', 5_000_000],
      ['release', 1_000_000],
    ]);
  });
});
