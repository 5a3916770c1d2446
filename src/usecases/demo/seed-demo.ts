import { FUND_SOURCE_DOCUMENT } from '../../../config/plan.ts';
import { ROLES, type Role } from '../../../config/roles.ts';
import { createProjectSchema, eventPayloadSchemas, type ProjectEventType } from '../../../machines/project.schemas.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { ensureStandardOrganisations, ORG_OF_ROLE, STANDARD_ORGANISATIONS } from '../../admin/standard-directory.ts';
import { addDays, businessDateOf } from '../../domain/business-date.ts';
import { AppError } from '../../engine/app-error.ts';
import { applyEvent } from '../../engine/apply-event.ts';
import { attachMissingMaterials } from '../attachments/attach-missing-materials.ts';
import { demoFileOf } from './demo-materials.ts';
import { createProject } from '../../engine/create-project.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import type { ProjectView } from '../../engine/project-view.ts';
import type { Database } from '../../store/database.ts';
import { findProjectByTitle } from '../../store/projects.store.ts';
import { findBeneficiary, upsertBeneficiary } from '../../store/beneficiaries.store.ts';
import { budgetLineCovering } from '../../domain/item-rules.ts';
import { createFund, listFunds } from '../../store/ledger.store.ts';
import {
  addOrganisation,
  addUser,
  findOrganisationByName,
  findUserByEmail,
  issueApiToken,
  type OrgKind,
  type OrgRow,
  type UserRow,
} from '../../store/users.store.ts';

type StaffRole = Exclude<Role, 'applicant'>;
const STANDING_ORG_OF_ROLE: Record<StaffRole, string> = ORG_OF_ROLE;

/**
 * Seeds demo data (CLI `demo:seed`): demo data a newcomer can click through. Standing organisations, one user per role,
 * three applicant units and sixteen projects spread over the plan's items and the lifecycle's
 * states, committing from a demo fund, every one of them driven through the real engine (createProject / applyEvent, channel
 * `cli`), so snapshots, audit chains and outbox rows are exactly what real use would leave.
 *
 * Idempotent-ish: organisations and users are found by name and email, a project by its title and
 * unit; what exists is reused and not driven again. Every run issues fresh tokens for the demo users.
 */

type UnitKey = 'township' | 'association' | 'enterprise';

const DEMO_UNITS: Record<UnitKey, { name: string; kind: OrgKind; creditCode?: string; applicantEmail: string; applicantName: string }> = {
  township: {
    name: '阳城县润城镇人民政府（演示）',
    kind: 'unit',
    applicantEmail: 'applicant.township@demo.fundflow.test',
    applicantName: '润城镇 申报员（演示）',
  },
  association: {
    name: '阳城县中小企业协会（演示）',
    kind: 'unit',
    applicantEmail: 'applicant.association@demo.fundflow.test',
    applicantName: '企业协会 申报员（演示）',
  },
  enterprise: {
    name: '山西阳城某新材料科技有限公司（演示）',
    kind: 'enterprise',
    creditCode: '91140522MA0K3Y7R19',
    applicantEmail: 'applicant.enterprise@demo.fundflow.test',
    applicantName: '新材料公司 申报员（演示）',
  },
};

const STAFF_NAMES: Record<StaffRole, string> = {
  center: '中心审核员（演示）',
  finance: '财政局经办人（演示）',
  leadership: '领导组成员（演示）',
  inspector: '监督检查员（演示）',
  supervisor: '中心负责人（演示）',
  evaluator: '绩效评价员（演示）',
  authority: '市中小企业中心（演示）',
  admin: '系统管理员（演示）',
};

const staffEmail = (role: StaffRole) => `${role}@demo.fundflow.test`;

const TARGETS = [
  { id: 'OUT1', level: '产出', subLevel: '数量', name: '完成服务或活动场次', unit: '场', comparator: '>=', targetValue: 10, weight: 40 },
  { id: 'OUT2', level: '产出', subLevel: '时效', name: '按期完成率', unit: '%', comparator: '>=', targetValue: 95, weight: 20 },
  { id: 'EFF1', level: '效益', subLevel: '社会效益', name: '受益中小企业数', unit: '家', comparator: '>=', targetValue: 100, weight: 30 },
  { id: 'SAT1', level: '满意度', subLevel: '服务对象满意度', name: '服务对象满意度', unit: '%', comparator: 'qualitative', weight: 10 },
];

const EVALUATION = {
  indicators: [
    { indicatorId: 'OUT1', actual: 10 },
    { indicatorId: 'OUT2', actual: 92 },
    { indicatorId: 'EFF1', actual: 86 },
    { indicatorId: 'SAT1', band: 'achieved', percent: 90 },
  ],
  report: {
    基本情况: '项目按申报内容实施，资金专款专用。',
    评价工作开展情况: '采取资料审核与现场核查相结合的方式开展评价。',
    综合评价结论: '项目绩效目标基本实现。',
    绩效分析: '产出指标完成较好，受益企业数略低于目标。',
    存在问题: '部分活动宣传覆盖面不足。',
    建议: '扩大宣传范围，加强跟踪服务。',
  },
};

interface EventStep {
  as: StaffRole | 'applicant';
  type: ProjectEventType;
  payload?: Record<string, unknown>;
}

/**
 * APPROVE by each role of the chain the project was routed with (it depends on configured rules):
 * `all` ends in approved, `all-but-last` leaves the project waiting on its last approval step.
 */
interface ApproveStep {
  approve: 'all' | 'all-but-last';
}

type Step = EventStep | ApproveStep;

interface Scenario {
  key: string;
  unit: UnitKey;
  item: number;
  title: string;
  requestedFen: number;
  steps: Step[];
}

/** Sixteen projects over items 1-13 and every kind of state; dates relative to the business day `today`. */
export function demoScenarios(today: string): Scenario[] {
  const submit: Step = { as: 'applicant', type: 'SUBMIT' };
  const approved: Step[] = [submit, { approve: 'all' }];
  let voucherNumber = 0;
  const disburse = (amountFen: number): Step => {
    voucherNumber += 1;
    // A 国库支付凭证 number in the default format (config/required-materials.ts voucherPattern).
    return { as: 'finance', type: 'DISBURSE', payload: { amountFen, voucher: `GKZF-${today.slice(0, 4)}-${String(voucherNumber).padStart(6, '0')}` } };
  };
  const progress: Step = {
    as: 'applicant',
    type: 'REPORT_PROGRESS',
    payload: {
      periodStart: addDays(today, -60),
      periodEnd: addDays(today, -1),
      indicators: [{ indicatorId: 'OUT1', value: 4 }, { indicatorId: 'EFF1', value: 35 }],
      narrative: '已完成阶段性工作。',
    },
  };
  const inspect: Step = { as: 'inspector', type: 'RECORD_INSPECTION', payload: { kind: 'regular', date: today, inspectors: ['张检查', '李检查'] } };
  const deviation: Step = {
    as: 'supervisor',
    type: 'CONCLUDE_INSPECTION',
    payload: { outcome: 'deviation', correction: '补充活动签到记录和照片', dueDate: addDays(today, 21) },
  };
  const complete: Step = { as: 'applicant', type: 'COMPLETE', payload: { summary: '项目已按计划实施完毕。' } };
  const evaluate: Step = { as: 'evaluator', type: 'SUBMIT_EVALUATION', payload: EVALUATION };
  const executing = (fen: number) => [...approved, disburse(fen / 2), progress];

  return [
    { key: 'draft', unit: 'township', item: 1, title: '阳城县企业服务平台二期功能完善', requestedFen: 30_000_000, steps: [] },
    { key: 'review-center', unit: 'enterprise', item: 2, title: '参加中国国际中小企业博览会', requestedFen: 15_000_000, steps: [submit] },
    {
      key: 'review-leadership',
      unit: 'township',
      item: 13,
      title: '县创建领导组确定的中小企业融资对接专项',
      requestedFen: 80_000_000,
      steps: [submit, { approve: 'all-but-last' }],
    },
    {
      key: 'returned',
      unit: 'association',
      item: 7,
      title: '“创客阳城”双创大赛',
      requestedFen: 20_000_000,
      steps: [submit, { as: 'center', type: 'RETURN', payload: { comment: '请补充活动预算明细' } }],
    },
    { key: 'approved', unit: 'association', item: 3, title: '中小企业政策宣讲专题活动', requestedFen: 10_000_000, steps: approved },
    { key: 'executing', unit: 'township', item: 4, title: '中小企业发展媒体宣传', requestedFen: 12_000_000, steps: executing(12_000_000) },
    { key: 'inspected', unit: 'association', item: 5, title: '中小企业经营管理人才培训', requestedFen: 12_000_000, steps: [...executing(12_000_000), inspect] },
    {
      key: 'correcting',
      unit: 'township',
      item: 6,
      title: '中小企业信息服务与数据监测',
      requestedFen: 9_000_000,
      steps: [...executing(9_000_000), inspect, deviation],
    },
    {
      key: 'verifying',
      unit: 'enterprise',
      item: 8,
      title: '新质生产力数字化改造诊断服务',
      requestedFen: 16_000_000,
      steps: [...executing(16_000_000), inspect, deviation, { as: 'applicant', type: 'SUBMIT_CORRECTION', payload: { text: '已补充签到记录和照片' } }],
    },
    {
      key: 'suspended',
      unit: 'enterprise',
      item: 9,
      title: '新材料中小企业孵化基地建设',
      requestedFen: 60_000_000,
      steps: [
        ...approved,
        disburse(20_000_000),
        { as: 'supervisor', type: 'SUSPEND', payload: { reason: '施工许可手续不全，暂停拨付' } },
      ],
    },
    {
      key: 'self-evaluation',
      unit: 'association',
      item: 10,
      title: '众创空间服务能力提升',
      requestedFen: 8_000_000,
      steps: [...approved, disburse(8_000_000), complete],
    },
    {
      key: 'finance-review',
      unit: 'enterprise',
      item: 12,
      title: '产学研协同创新合作项目',
      requestedFen: 14_000_000,
      steps: [...approved, disburse(14_000_000), complete, evaluate],
    },
    {
      key: 'closed',
      unit: 'enterprise',
      item: 11,
      title: '专精特新企业上市辅导培育',
      requestedFen: 18_000_000,
      steps: [
        ...executing(18_000_000),
        inspect,
        { as: 'supervisor', type: 'CONCLUDE_INSPECTION', payload: { outcome: 'on-track', comment: '进展正常' } },
        disburse(8_000_000),
        complete,
        evaluate,
        { as: 'finance', type: 'ACCEPT_EVALUATION', payload: { comment: '评价结论属实' } },
        { as: 'center', type: 'CLOSE', payload: { comment: '项目结项' } },
      ],
    },
    {
      key: 'rejected',
      unit: 'association',
      item: 2,
      title: '境外展会考察',
      requestedFen: 25_000_000,
      steps: [submit, { as: 'center', type: 'REJECT', payload: { comment: '不属于本方案支持范围' } }],
    },
    {
      key: 'withdrawn',
      unit: 'township',
      item: 3,
      title: '乡镇企业家沙龙',
      requestedFen: 3_000_000,
      steps: [submit, { as: 'applicant', type: 'WITHDRAW', payload: { reason: '活动与县里活动合并举办' } }],
    },
    {
      key: 'terminated',
      unit: 'township',
      item: 5,
      title: '电商直播技能培训',
      requestedFen: 6_000_000,
      steps: [
        ...executing(6_000_000),
        inspect,
        { as: 'supervisor', type: 'CONCLUDE_INSPECTION', payload: { outcome: 'serious', reason: '培训未实际开展，资金挪作他用' } },
        { as: 'supervisor', type: 'STOP', payload: { reason: '项目无法继续实施' } },
        { as: 'finance', type: 'CONFIRM_STOP', payload: { comment: '收回已拨资金' } },
      ],
    },
  ];
}

export interface DemoSeedReport {
  fund: { id: string; name: string; created: boolean };
  organisations: { id: string; name: string; kind: OrgKind }[];
  users: { id: string; email: string; name: string; role: Role; orgName: string; token: string }[];
  projects: { id: string; code: string; title: string; item: number; state: string; created: boolean }[];
}

const DEMO_FUND_NAME = '创建中小企业高质量发展示范县绩效考核奖励资金（演示）';

/**
 * The demo projects commit from a demo fund of their own (SUBMIT needs a received fund, the final
 * APPROVE names it), so they never take money from a real fund of the same installation.
 */
async function ensureDemoFund(db: Database, financeUserId: string, today: string, now: Date): Promise<DemoSeedReport['fund']> {
  const existing = (await listFunds(db)).find((fund) => fund.name === DEMO_FUND_NAME);
  if (existing) return { id: existing.fund_id, name: DEMO_FUND_NAME, created: false };
  const id = await createFund(
    db,
    {
      sourceDocument: `${FUND_SOURCE_DOCUMENT}（演示）`,
      name: DEMO_FUND_NAME,
      amountFen: 500_000_000,
      receivedOn: addDays(today, -120),
      categoryCeilingsFen: {},
      itemCeilingsFen: {},
    },
    financeUserId,
    now.toISOString(),
  );
  return { id, name: DEMO_FUND_NAME, created: true };
}

async function ensureOrganisation(db: Database, unit: (typeof DEMO_UNITS)[UnitKey]): Promise<OrgRow> {
  return (
    (await findOrganisationByName(db, unit.name)) ??
    (await addOrganisation(db, { name: unit.name, kind: unit.kind, ...(unit.creditCode ? { creditCode: unit.creditCode } : {}) }))
  );
}

async function ensureUser(db: Database, input: { email: string; name: string; role: Role; orgId: string }): Promise<UserRow> {
  return (await findUserByEmail(db, input.email)) ?? (await addUser(db, input));
}

export async function seedDemo(deps: EngineDeps): Promise<DemoSeedReport> {
  const { db } = deps;
  const report: DemoSeedReport = { fund: { id: '', name: DEMO_FUND_NAME, created: false }, organisations: [], users: [], projects: [] };

  const standing = await ensureStandardOrganisations(db);
  const orgById = new Map<string, OrgRow>();
  for (const org of STANDARD_ORGANISATIONS) orgById.set(standing[org.key]!.id, standing[org.key]!);
  const units = {} as Record<UnitKey, OrgRow>;
  for (const key of Object.keys(DEMO_UNITS) as UnitKey[]) {
    units[key] = await ensureOrganisation(db, DEMO_UNITS[key]);
    orgById.set(units[key].id, units[key]);
  }
  for (const org of orgById.values()) report.organisations.push({ id: org.id, name: org.name, kind: org.kind });

  const actors = {} as Record<StaffRole, Actor>;
  const applicants = {} as Record<UnitKey, Actor>;
  const addReportedUser = async (user: UserRow) => {
    const token = await issueApiToken(db, user.id, 'demo');
    report.users.push({ id: user.id, email: user.email, name: user.name, role: user.role, orgName: orgById.get(user.org_id!)?.name ?? '', token });
    return { userId: user.id, role: user.role, orgId: user.org_id };
  };
  for (const role of ROLES) {
    if (role === 'applicant') continue;
    const orgId = standing[STANDING_ORG_OF_ROLE[role]]!.id;
    actors[role] = await addReportedUser(await ensureUser(db, { email: staffEmail(role), name: STAFF_NAMES[role], role, orgId }));
  }
  for (const key of Object.keys(DEMO_UNITS) as UnitKey[]) {
    const unit = DEMO_UNITS[key];
    applicants[key] = await addReportedUser(
      await ensureUser(db, { email: unit.applicantEmail, name: unit.applicantName, role: 'applicant', orgId: units[key].id }),
    );
  }

  const today = businessDateOf(deps.now());
  // Item 12 supports only registered enterprise types: the demo enterprise is a 高新技术企业 in the beneficiary registry.
  const enterpriseCode = DEMO_UNITS.enterprise.creditCode!;
  if (!(await findBeneficiary(db, enterpriseCode))) {
    await upsertBeneficiary(
      db,
      { creditCode: enterpriseCode, name: DEMO_UNITS.enterprise.name, qualifications: ['high-tech'], listingReserve: false, listingReserveSince: null },
      { by: actors.center.userId, at: deps.now() },
    );
  }
  const fund = await ensureDemoFund(db, actors.finance.userId, today, deps.now());
  report.fund = fund;
  for (const scenario of demoScenarios(today)) {
    const org = units[scenario.unit];
    const existing = await findProjectByTitle(db, org.id, scenario.title);
    if (existing) {
      report.projects.push({ ...existing, title: scenario.title, item: scenario.item, created: false });
      continue;
    }
    const applicant = applicants[scenario.unit];
    const input = createProjectSchema.parse({
      title: scenario.title,
      item: scenario.item,
      requestedFen: scenario.requestedFen,
      periodStart: addDays(today, -90),
      periodEnd: addDays(today, 270),
      description: `演示数据：${scenario.key}`,
      targets: TARGETS,
      budgetLines: [budgetLineCovering(scenario.item, scenario.requestedFen, deps.rules.items)],
      // Item 11 pays for a successful listing: the announcement is part of the proposal.
      ...(deps.rules.items.listingItems.includes(scenario.item)
        ? { listing: { board: 'neeq', announcementRef: '全国股转公司公告〔演示〕1号', announcementDate: addDays(today, -100) } }
        : {}),
    });
    let step = 'PROPOSE';
    try {
      const created = await createProject(deps, applicant, input, 'cli');
      let view: ProjectView = created.body;
      const send = async (actor: Actor, type: ProjectEventType, raw: Record<string, unknown> = {}) => {
        step = type;
        const payload = eventPayloadSchemas[type].parse(raw) as Record<string, unknown>;
        // The materials the event needs, uploaded by the people who bring them (config/required-materials.ts).
        await attachMissingMaterials(deps, {
          projectId: created.body.id,
          item: scenario.item,
          type,
          payload,
          uploaderOf: (kind) => (kind === 'inspection-evidence' ? actors.inspector : kind === 'treasury-voucher' ? actors.finance : applicant),
          fileOf: (kind) => demoFileOf(kind, `${created.body.code} ${type} ${view.version}`),
        });
        view = (await applyEvent(deps, { projectId: created.body.id, actor, channel: 'cli', type, payload })).body;
      };
      for (const next of scenario.steps) {
        if ('approve' in next) {
          const { chain } = view.context.approval;
          const roles = next.approve === 'all' ? chain : chain.slice(0, -1);
          for (const [index, role] of roles.entries()) {
            const last = next.approve === 'all' && index === roles.length - 1;
            // Item 13 is decided by the county government or the leadership group: its final approval names the minutes.
            const decision = deps.rules.items.decisionItems.includes(scenario.item)
              ? { decisionReference: { body: 'leadership-group', number: '阳创领纪〔演示〕1号', date: addDays(today, -1) } }
              : {};
            await send(actors[role], 'APPROVE', last ? { comment: '同意', fundId: fund.id, ...decision } : { comment: '同意' });
          }
        } else {
          await send(next.as === 'applicant' ? applicant : actors[next.as], next.type, next.payload);
        }
      }
      const state = view.state;
      report.projects.push({ id: created.body.id, code: created.body.code, title: scenario.title, item: scenario.item, state, created: true });
    } catch (error) {
      if (error instanceof AppError) {
        throw new AppError('guard-refused', `demo project "${scenario.key}" stopped at ${step}: ${error.code}: ${error.message}`);
      }
      throw error;
    }
  }
  return report;
}
