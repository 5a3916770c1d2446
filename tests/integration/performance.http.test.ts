import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, sampleProposal, sampleTargets, startTestApp, type TestApp } from '../support/test-app.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';

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

const report = { 基本情况: '基本情况', 评价工作开展情况: '开展情况', 综合评价结论: '结论', 绩效分析: '分析', 存在问题: '问题', 建议: '建议' };

function sender(id: string) {
  return async (role: keyof TestApp['users'], body: Record<string, unknown>, status = 200) => {
    const withMaterials = await withMaterialsOverHttp(app, id, body as Record<string, unknown> & { type: string });
    const response = await api('POST', `/api/v1/projects/${id}/events`, { token: app.users[role].token, body: withMaterials });
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response.body;
  };
}

describe('performance management through HTTP', () => {
  it('two inspections, one deviation corrected, a re-evaluation ordered whose grade prevails and is disclosed', async () => {
    const project = await driveTo(app, 'executing', { title: '绩效全流程项目' });
    const send = sender(project.id);
    app.clock.advanceDays(30);
    await send('applicant', { type: 'REPORT_PROGRESS', periodStart: '2024-10-01', periodEnd: '2024-10-31', indicators: [{ indicatorId: 'OUT1', value: 3 }], spentFen: 800_000 });
    await send('inspector', { type: 'RECORD_INSPECTION', kind: 'regular', date: '2024-11-06', inspectors: ['张三', '李四'], findings: [{ indicatorId: 'OUT1', note: '培训场次落后' }], evidence: ['照片-001.jpg'] });
    expect((await send('supervisor', { type: 'CONCLUDE_INSPECTION', outcome: 'deviation', correction: '一个月内补办培训', dueDate: '2024-12-07' })).state).toBe('deviated-corrected.correcting');
    await send('applicant', { type: 'SUBMIT_CORRECTION', text: '已补办两场培训', evidence: ['签到表.pdf'] });
    expect((await send('inspector', { type: 'ACCEPT_CORRECTION', comment: '整改到位' })).state).toBe('executing');
    app.clock.advanceDays(30);
    await send('inspector', { type: 'RECORD_INSPECTION', kind: 'unannounced', date: '2024-12-06', inspectors: ['王五'] });
    expect((await send('supervisor', { type: 'CONCLUDE_INSPECTION', outcome: 'on-track' })).state).toBe('executing');
    await send('finance', { type: 'DISBURSE', amountFen: 5_000_000 });
    await send('applicant', { type: 'COMPLETE', summary: '项目完成' });
    const first = await send('evaluator', {
      type: 'SUBMIT_EVALUATION',
      indicators: [
        { indicatorId: 'OUT1', actual: 10 },
        { indicatorId: 'OUT2', actual: 150 },
        { indicatorId: 'EFF1', actual: 100 },
        { indicatorId: 'SAT1', band: 'achieved', percent: 95 },
      ],
      report,
    });
    // Budget 6/12 × 10 = 5; 产出 33.33 + 16.67; 效益 30; 满意度 9.5 → 94.5 优.
    expect(first.context.evaluations[0]).toMatchObject({ kind: 'self-evaluation', totalScore: 94.5, grade: '优' });
    await send('finance', { type: 'REQUEST_REEVALUATION', reason: '受益企业数据需核实' });
    const second = await send('evaluator', {
      type: 'SUBMIT_EVALUATION',
      indicators: [
        { indicatorId: 'OUT1', actual: 10 },
        { indicatorId: 'OUT2', actual: 150 },
        { indicatorId: 'EFF1', actual: 40 },
        { indicatorId: 'SAT1', band: 'partly-achieved', percent: 70 },
      ],
      report,
    });
    // 效益 40/100 × 30 = 12; 满意度 70% × 10 = 7 → 5 + 50 + 12 + 7 = 74 中.
    expect(second.context.evaluations[1]).toMatchObject({ kind: 're-evaluation', totalScore: 74, grade: '中' });
    await send('finance', { type: 'ACCEPT_EVALUATION' });
    await send('finance', { type: 'CLOSE' });

    const history = (await api('GET', `/api/v1/projects/${project.id}/history`, { token: app.users.authority.token })).body.events;
    const inspections = history.filter((event: { type: string }) => event.type === 'RECORD_INSPECTION');
    expect(inspections.map((event: { payload: { kind: string } }) => event.payload.kind)).toEqual(['regular', 'unannounced']);
    expect(inspections[0].payload.findings[0]).toEqual({ indicatorId: 'OUT1', note: '培训场次落后' });

    const disclosed = (await api('GET', '/api/v1/public/projects?limit=1000')).body.items.find((item: { title: string }) => item.title === '绩效全流程项目');
    expect(disclosed).toMatchObject({ grade: '中', state: 'closed', approvedFen: 12_000_000, disbursedFen: 6_000_000 });

    // The 中 grade flags the applicant's next proposal for the reviewers, not for the applicant.
    const next = await api('POST', '/api/v1/projects', { token: app.users.applicant.token, body: sampleProposal({ title: '下一个项目' }) });
    const asCenter = await api('GET', `/api/v1/projects/${next.body.id}`, { token: app.users.center.token });
    expect(asCenter.body.reviewFlags).toEqual([expect.objectContaining({ kind: 'prior-low-grade', grade: '中' })]);
    const asApplicant = await api('GET', `/api/v1/projects/${next.body.id}`, { token: app.users.applicant.token });
    expect(asApplicant.body.reviewFlags).toEqual([]);
  });

  it('targets lock at approval; a later change is an audited amendment approved by finance', async () => {
    const project = await driveTo(app, 'executing');
    const send = sender(project.id);
    const locked = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.center.token, body: { type: 'UPDATE_TARGETS', targets: sampleTargets } });
    expect(locked.status).toBe(422);
    const changed = sampleTargets.map((target) => (target.id === 'EFF1' ? { ...target, targetValue: 80 } : target));
    const proposed = await send('center', { type: 'AMEND_TARGETS', targets: changed, reason: '受市场影响调整受益企业数' });
    expect(proposed.context.pendingAmendment).toMatchObject({ reason: '受市场影响调整受益企业数' });
    expect(proposed.context.proposal.targets.find((t: { id: string }) => t.id === 'EFF1').targetValue).toBe(100);
    await send('center', { type: 'AMEND_TARGETS', targets: changed, reason: '再次' }, 422);
    await send('center', { type: 'APPROVE_AMENDMENT' }, 403);
    const approved = await send('finance', { type: 'APPROVE_AMENDMENT', comment: '同意' });
    expect(approved.context.proposal.targets.find((t: { id: string }) => t.id === 'EFF1').targetValue).toBe(80);
    expect(approved.context).toMatchObject({ pendingAmendment: null, amendmentCount: 1 });
    const history = (await api('GET', `/api/v1/projects/${project.id}/history`, { token: app.users.finance.token })).body.events;
    expect(history.slice(-2).map((event: { type: string; reason: string }) => [event.type, event.reason])).toEqual([
      ['AMEND_TARGETS', '受市场影响调整受益企业数'],
      ['APPROVE_AMENDMENT', '同意'],
    ]);
    await send('center', { type: 'AMEND_TARGETS', targets: sampleTargets, reason: '恢复' });
    const rejected = await send('finance', { type: 'REJECT_AMENDMENT', reason: '不予调整' });
    expect(rejected.context.proposal.targets.find((t: { id: string }) => t.id === 'EFF1').targetValue).toBe(80);
  });
});
