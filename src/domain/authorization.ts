import type { Role } from '../../config/roles.ts';
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
