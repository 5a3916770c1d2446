import { ROLE_NAMES, type Role } from '../../config/roles.ts';
import { labelOf } from '../i18n/messages.ts';
import { refusal, type Refusal } from './refusal.ts';
import type { ProjectEventType } from './project.schemas.ts';
import type { Actor, ProjectContext } from './project.types.ts';

/**
 * Who may send each event (LIFECYCLE.md). `own`: an applicant only for its own organisation's
 * projects. `currentStep`: only the role of the approval step the project waits on.
 */
interface EventPolicy {
  roles: readonly Role[];
  own?: boolean;
  currentStep?: boolean;
}

export const EVENT_POLICIES: Record<ProjectEventType, EventPolicy> = {
  UPDATE_PROPOSAL: { roles: ['applicant'], own: true },
  SUBMIT: { roles: ['applicant'], own: true },
  WITHDRAW: { roles: ['applicant'], own: true },
  UPDATE_TARGETS: { roles: ['center'], currentStep: true },
  AMEND_TARGETS: { roles: ['center'] },
  APPROVE_AMENDMENT: { roles: ['finance'] },
  REJECT_AMENDMENT: { roles: ['finance'] },
  APPROVE: { roles: ['center', 'finance', 'leadership'], currentStep: true },
  REJECT: { roles: ['center', 'finance', 'leadership'], currentStep: true },
  RETURN: { roles: ['center', 'finance', 'leadership'], currentStep: true },
  DISBURSE: { roles: ['finance'] },
  REPORT_PROGRESS: { roles: ['applicant'], own: true },
  RECORD_INSPECTION: { roles: ['inspector'] },
  CONCLUDE_INSPECTION: { roles: ['supervisor'] },
  SUBMIT_CORRECTION: { roles: ['applicant'], own: true },
  ACCEPT_CORRECTION: { roles: ['inspector', 'supervisor'] },
  REJECT_CORRECTION: { roles: ['inspector', 'supervisor'] },
  EXTEND_DEADLINE: { roles: ['supervisor', 'finance'] },
  SUSPEND: { roles: ['supervisor'] },
  RESUME: { roles: ['supervisor'] },
  STOP: { roles: ['supervisor'] },
  CONFIRM_STOP: { roles: ['finance'] },
  COMPLETE: { roles: ['applicant'], own: true },
  SUBMIT_EVALUATION: { roles: ['evaluator'] },
  ACCEPT_EVALUATION: { roles: ['finance'] },
  REQUEST_REEVALUATION: { roles: ['finance'] },
  CLOSE: { roles: ['center', 'finance'] },
};

/** Null when the caller may send the event, else the refusal (one shape with the guards' and the ledger's). */
export type Authorization = Refusal | null;

export function authorizeEvent(
  type: ProjectEventType,
  actor: Actor,
  project: { orgId: string; context: ProjectContext; inReview: boolean },
  payload?: Record<string, unknown>,
): Authorization {
  const policy = EVENT_POLICIES[type];
  if (!policy.roles.includes(actor.role)) {
    return refusal(
      'role-not-allowed',
      `“${labelOf('event', type).zh}”只能由${policy.roles.map((role) => ROLE_NAMES[role].zh).join('或')}办理，${ROLE_NAMES[actor.role].zh}无权办理`,
      `${type} may be sent by ${policy.roles.join(' or ')}, not by ${actor.role}`,
      { role: actor.role },
    );
  }
  if (policy.own && actor.orgId !== project.orgId) {
    return refusal('not-own-project', `“${labelOf('event', type).zh}”只能由项目单位本单位办理`, `${type} may be sent only by the project's own organisation`);
  }
  if (policy.currentStep && project.inReview) {
    const { chain, step } = project.context.approval;
    const stepRole = chain[step];
    if (stepRole !== actor.role) {
      return refusal(
        'not-current-step',
        `该项目当前待${stepRole ? ROLE_NAMES[stepRole].zh : '其他部门'}审核`,
        `the project waits on the ${stepRole ?? 'unknown'} step, not on ${actor.role}`,
      );
    }
  }
  if (type === 'EXTEND_DEADLINE' && payload?.deadline === 'correction' && actor.role !== 'supervisor') {
    return refusal('correction-extension-supervisor-only', `整改期限只能由${ROLE_NAMES.supervisor.zh}延长`, 'a correction deadline may be extended only by the supervisor');
  }
  return null;
}

/** May this caller read the project? Applicants see only their own organisation's projects. */
export function canReadProject(actor: Actor, orgId: string): boolean {
  return actor.role !== 'applicant' || actor.orgId === orgId;
}

/**
 * Who reads what besides projects: ONE table for money data and reports. Money (fund list and
 * balances, the whole 资金台账, the fund-execution report) is read by the bodies that manage or
 * oversee the fund: 县财政局, 县促进中心, the supervisor, 县创建领导组, 省市主管部门 and admins.
 * Inspectors and evaluators work on single projects: they see a project's own amounts in the
 * project view, not the county's ledger. Reports follow the same readers.
 */
export const READ_POLICIES = {
  money: ['finance', 'center', 'supervisor', 'leadership', 'authority', 'admin'],
  reports: ['finance', 'center', 'supervisor', 'leadership', 'authority', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type ReadScope = keyof typeof READ_POLICIES;

export function mayRead(scope: ReadScope, role: Role): boolean {
  return (READ_POLICIES[scope] as readonly Role[]).includes(role);
}
