import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../config/roles.ts';
import { PROJECT_EVENT_TYPES, type ProjectEventType } from '../../machines/project.schemas.ts';
import { EVENT_POLICIES } from '../../src/domain/authorization.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, sampleTargets, startTestApp, type TestApp } from '../support/test-app.ts';

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

/** For each event: a state that takes it and a valid payload, so that only the role can refuse it. */
const CASES: Record<ProjectEventType, { state: string; payload: Record<string, unknown> }> = {
  UPDATE_PROPOSAL: { state: 'proposed.draft', payload: { title: '新标题' } },
  SUBMIT: { state: 'proposed.draft', payload: {} },
  WITHDRAW: { state: 'proposed.draft', payload: {} },
  UPDATE_TARGETS: { state: 'proposed.review', payload: { targets: sampleTargets } },
  AMEND_TARGETS: { state: 'executing', payload: { targets: sampleTargets, reason: '调整' } },
  APPROVE_AMENDMENT: { state: 'executing', payload: {} },
  REJECT_AMENDMENT: { state: 'executing', payload: { reason: '不同意' } },
  APPROVE: { state: 'proposed.review', payload: {} },
  REJECT: { state: 'proposed.review', payload: { comment: '不予支持' } },
  RETURN: { state: 'proposed.review', payload: { comment: '请补充' } },
  DISBURSE: { state: 'approved', payload: { amountFen: 100 } },
  REPORT_PROGRESS: { state: 'executing', payload: { periodStart: '2024-10-01', periodEnd: '2024-10-31' } },
  RECORD_INSPECTION: { state: 'executing', payload: { kind: 'unannounced', date: '2024-10-08', inspectors: ['李四'] } },
  CONCLUDE_INSPECTION: { state: 'inspected', payload: { outcome: 'on-track' } },
  SUBMIT_CORRECTION: { state: 'deviated-corrected.correcting', payload: { text: '已整改' } },
  ACCEPT_CORRECTION: { state: 'deviated-corrected.verifying', payload: {} },
  REJECT_CORRECTION: { state: 'deviated-corrected.verifying', payload: { reason: '不充分', dueDate: '2025-01-31' } },
  EXTEND_DEADLINE: { state: 'deviated-corrected.correcting', payload: { deadline: 'correction', newDate: '2025-02-28', reason: '延期' } },
  SUSPEND: { state: 'executing', payload: { reason: '偏离' } },
  RESUME: { state: 'suspended.held', payload: { reason: '恢复' } },
  STOP: { state: 'suspended.held', payload: { reason: '终止' } },
  CONFIRM_STOP: { state: 'suspended.stop-requested', payload: {} },
  COMPLETE: { state: 'executing', payload: {} },
  SUBMIT_EVALUATION: {
    state: 'evaluated.self-evaluation',
    payload: {
      indicators: [
        { indicatorId: 'OUT1', actual: 12 },
        { indicatorId: 'OUT2', actual: 150 },
        { indicatorId: 'EFF1', actual: 80 },
        { indicatorId: 'SAT1', band: 'achieved', percent: 90 },
      ],
      report: { 基本情况: 'a', 评价工作开展情况: 'b', 综合评价结论: 'c', 绩效分析: 'd', 存在问题: 'e', 建议: 'f' },
    },
  },
  ACCEPT_EVALUATION: { state: 'evaluated.finance-review', payload: {} },
  REQUEST_REEVALUATION: { state: 'evaluated.finance-review', payload: { reason: '复核' } },
  CLOSE: { state: 'evaluated.accepted', payload: {} },
};

function allowedRoles(type: ProjectEventType): Role[] {
  const policy = EVENT_POLICIES[type];
  // In review at the first step, only the center may approve, reject or return.
  if (policy.currentStep) return ['center'];
  return [...policy.roles];
}

describe('every event by every wrong role', () => {
  it('gets 403 and changes nothing', async () => {
    const projects = new Map<string, { id: string; version: number }>();
    for (const { state } of Object.values(CASES)) {
      if (!projects.has(state)) projects.set(state, await driveTo(app, state));
    }
    const userOf = (role: Role) => app.users[role as keyof TestApp['users']];
    let refused = 0;
    for (const type of PROJECT_EVENT_TYPES) {
      const { state, payload } = CASES[type];
      const project = projects.get(state)!;
      for (const role of ROLES.filter((candidate) => !allowedRoles(type).includes(candidate))) {
        const response = await api('POST', `/api/v1/projects/${project.id}/events`, { token: userOf(role).token, body: { type, ...payload } });
        expect(response.status, `${type} by ${role} in ${state}: ${JSON.stringify(response.body)}`).toBe(403);
        expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
        refused += 1;
      }
    }
    expect(refused).toBeGreaterThan(150);
    for (const [state, project] of projects) {
      const view = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.admin.token });
      expect(view.body, state).toMatchObject({ state, version: project.version });
    }
    const n = (await app.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM project_events'))[0]!.n;
    const expected = [...projects.values()].reduce((sum, project) => sum + project.version, 0);
    expect(n).toBe(expected);
  });

  it('an applicant of another organisation neither sees nor moves the project', async () => {
    const project = await driveTo(app, 'proposed.draft');
    const read = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.otherApplicant.token });
    expect(read.status).toBe(404);
    const send = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.otherApplicant.token, body: { type: 'SUBMIT' } });
    expect(send.status).toBe(404);
    const list = await api('GET', '/api/v1/projects?limit=100', { token: app.users.otherApplicant.token });
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(project.id);
    const mine = await api('GET', '/api/v1/projects?limit=100', { token: app.users.applicant.token });
    expect(mine.body.items.map((item: { id: string }) => item.id)).toContain(project.id);
  });

  it('the allowed events of a project are those this caller may send now', async () => {
    const project = await driveTo(app, 'proposed.review');
    const asCenter = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.center.token });
    expect(asCenter.body.allowedEvents.sort()).toEqual(['APPROVE', 'REJECT', 'RETURN', 'UPDATE_TARGETS']);
    const asFinance = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.finance.token });
    expect(asFinance.body.allowedEvents).toEqual([]);
    const asApplicant = await api('GET', `/api/v1/projects/${project.id}`, { token: app.users.applicant.token });
    expect(asApplicant.body.allowedEvents).toEqual(['WITHDRAW']);
  });

  it('requests without a valid token get 401', async () => {
    expect((await api('GET', '/api/v1/projects')).status).toBe(401);
    expect((await api('GET', '/api/v1/projects', { token: 'ff_nope' })).status).toBe(401);
  });
});
