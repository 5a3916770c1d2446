import type { Role } from '../../config/roles.ts';
import type { ProjectEventType } from '../../machines/project.schemas.ts';
import type { Actor, ProjectContext } from '../../machines/project.types.ts';

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

export type Authorization = { ok: true } | { ok: false; reason: string };

export function authorizeEvent(
  type: ProjectEventType,
  actor: Actor,
  project: { orgId: string; context: ProjectContext; inReview: boolean },
  payload?: Record<string, unknown>,
): Authorization {
  const policy = EVENT_POLICIES[type];
  if (!policy.roles.includes(actor.role)) {
    return { ok: false, reason: `${type} may be sent by ${policy.roles.join(' or ')}, not by ${actor.role}` };
  }
  if (policy.own && actor.orgId !== project.orgId) {
    return { ok: false, reason: `${type} may be sent only by the project's own organisation` };
  }
  if (policy.currentStep && project.inReview) {
    const { chain, step } = project.context.approval;
    const stepRole = chain[step];
    if (stepRole !== actor.role) {
      return { ok: false, reason: `the project waits on the ${stepRole ?? 'unknown'} step, not on ${actor.role}` };
    }
  }
  if (type === 'EXTEND_DEADLINE' && payload?.deadline === 'correction' && actor.role !== 'supervisor') {
    return { ok: false, reason: 'a correction deadline may be extended only by the supervisor' };
  }
  return { ok: true };
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
