import { eventPayloadSchemas, type ProjectEventType } from '../../machines/project.schemas.ts';
import { applyEvent } from '../../src/engine/apply-event.ts';
import { createProject } from '../../src/engine/create-project.ts';
import type { DirectoryUser } from '../../src/admin/standard-directory.ts';
import { attachKinds, MATERIALS_FOR, SAMPLE_VOUCHER } from './materials.ts';
import { sampleProposal, type TestApp } from './test-app.ts';

type Step = [keyof TestApp['users'], ProjectEventType, Record<string, unknown>?];

const evaluation = {
  indicators: [
    { indicatorId: 'OUT1', actual: 12 },
    { indicatorId: 'OUT2', actual: 150 },
    { indicatorId: 'EFF1', actual: 80 },
    { indicatorId: 'SAT1', band: 'achieved', percent: 90 },
  ],
  report: { 基本情况: 'a', 评价工作开展情况: 'b', 综合评价结论: 'c', 绩效分析: 'd', 存在问题: 'e', 建议: 'f' },
};

/** The events that bring a new project to each state, by the roles that may send them. */
export const PATHS: Record<string, Step[]> = {
  'proposed.draft': [],
  'proposed.review': [['applicant', 'SUBMIT']],
  approved: [['applicant', 'SUBMIT'], ['center', 'APPROVE'], ['finance', 'APPROVE']],
  executing: [['applicant', 'SUBMIT'], ['center', 'APPROVE'], ['finance', 'APPROVE'], ['finance', 'DISBURSE', { amountFen: 1_000_000 }]],
};
PATHS.inspected = [...PATHS.executing!, ['inspector', 'RECORD_INSPECTION', { kind: 'regular', date: '2024-10-08', inspectors: ['张三'] }]];
PATHS['deviated-corrected.correcting'] = [
  ...PATHS.inspected!,
  ['supervisor', 'CONCLUDE_INSPECTION', { outcome: 'deviation', correction: '补充', dueDate: '2024-12-31' }],
];
PATHS['deviated-corrected.verifying'] = [...PATHS['deviated-corrected.correcting']!, ['applicant', 'SUBMIT_CORRECTION', { text: '已改' }]];
PATHS['suspended.held'] = [...PATHS.executing!, ['supervisor', 'SUSPEND', { reason: '严重偏离' }]];
PATHS['suspended.stop-requested'] = [...PATHS['suspended.held']!, ['supervisor', 'STOP', { reason: '无法继续' }]];
PATHS['evaluated.self-evaluation'] = [...PATHS.executing!, ['applicant', 'COMPLETE']];
PATHS['evaluated.finance-review'] = [...PATHS['evaluated.self-evaluation']!, ['evaluator', 'SUBMIT_EVALUATION', evaluation]];
PATHS['evaluated.re-evaluation'] = [...PATHS['evaluated.finance-review']!, ['finance', 'REQUEST_REEVALUATION', { reason: '复核' }]];
PATHS['evaluated.accepted'] = [...PATHS['evaluated.finance-review']!, ['finance', 'ACCEPT_EVALUATION']];
PATHS.closed = [...PATHS['evaluated.accepted']!, ['center', 'CLOSE']];
PATHS.rejected = [['applicant', 'SUBMIT'], ['center', 'REJECT', { comment: '不符合' }]];
PATHS.withdrawn = [['applicant', 'WITHDRAW']];
PATHS.terminated = [...PATHS['suspended.stop-requested']!, ['finance', 'CONFIRM_STOP']];

function asActor(user: DirectoryUser) {
  return { userId: user.id, role: user.role, orgId: user.orgId };
}

/** Creates a project and drives it through the real engine to `state`. */
export async function driveTo(app: TestApp, state: string, proposal: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const steps = PATHS[state];
  if (!steps) throw new Error(`no path to ${state}`);
  const created = await createProject(app.engine, asActor(app.users.applicant), sampleProposal(proposal) as never, 'api');
  let version = created.body.version;
  for (const [role, type, payload] of steps) {
    // The materials the event needs (config/required-materials.ts), attached as their people would.
    const need = MATERIALS_FOR[type];
    if (need && payload?.outcome !== 'on-track') await attachKinds(app.engine, asActor(app.users[need.by]), created.body.id, need.kinds);
    const body = type === 'DISBURSE' ? { voucher: SAMPLE_VOUCHER, ...payload } : payload;
    const answer = await applyEvent(app.engine, {
      projectId: created.body.id,
      actor: asActor(app.users[role]),
      channel: 'api',
      type,
      payload: eventPayloadSchemas[type].parse(body ?? {}) as Record<string, unknown>,
    });
    version = answer.body.version;
  }
  return { id: created.body.id, version };
}
