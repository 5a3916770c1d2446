import type { LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { ProjectContext, ProjectEventOf } from './project.types.ts';
import { businessDateOf } from './business-date.ts';
import { checkTranche, trancheFactsOf } from './tranche-rules.ts';
import { checkEvaluationInput } from './evaluation-scoring.ts';

/**
 * The refusal rules behind the machine's guards. Each returns null when the event may pass, or a
 * sentence saying why not; the machine's guard is `check(...) === null`, and the engine calls the
 * same function to explain a refusal, so the two never disagree.
 */
export type Refusal = string | null;

function weightsTotal(weights: readonly number[]): number {
  return weights.reduce((sum, weight) => sum + Math.round(weight * 100), 0) / 100;
}

export function checkProposalComplete(context: ProjectContext, rules: LifecycleRules): Refusal {
  const { proposal } = context;
  if (!(proposal.requestedFen > 0)) return 'requestedFen must be more than 0';
  const ceiling = rules.itemCeilingsFen[String(proposal.item)];
  if (ceiling !== undefined && proposal.requestedFen > ceiling) {
    return `requestedFen ${proposal.requestedFen} exceeds the ceiling of item ${proposal.item} (${ceiling} fen)`;
  }
  if (!(proposal.periodStart < proposal.periodEnd)) return 'periodStart must be before periodEnd';
  if (proposal.targets.length === 0) return 'performance targets (绩效目标) are missing';
  const total = weightsTotal(proposal.targets.map((indicator) => indicator.weight));
  if (total !== 100) return `indicator weights sum to ${total}, not 100`;
  return null;
}

export function checkAmendmentProposable(context: ProjectContext, event: ProjectEventOf<'AMEND_TARGETS'>): Refusal {
  if (context.pendingAmendment) return 'an amendment of the targets is already waiting for the Finance Bureau';
  return checkTargetsValid(event);
}

export function checkAmendmentPending(context: ProjectContext): Refusal {
  return context.pendingAmendment ? null : 'no amendment of the targets is waiting';
}

export function checkTargetsValid(event: ProjectEventOf<'UPDATE_TARGETS' | 'AMEND_TARGETS'>): Refusal {
  const total = weightsTotal(event.targets.map((indicator) => indicator.weight));
  return total === 100 ? null : `indicator weights sum to ${total}, not 100`;
}

/** A tranche within the commitment left and allowed by the tranche rules in config; the refusal names the rule. */
export function checkTrancheAllowed(context: ProjectContext, event: ProjectEventOf<'DISBURSE'>, rules: LifecycleRules): Refusal {
  const left = context.committedFen - context.disbursedFen;
  if (event.amountFen > left) return `amountFen ${event.amountFen} exceeds the commitment left (${left} fen)`;
  const check = checkTranche(rules.tranche, trancheFactsOf(context, event.amountFen, context.lastDisbursedAt));
  return check.ok ? null : `${check.rule}: ${check.message}`;
}

export function checkProgressReport(context: ProjectContext, event: ProjectEventOf<'REPORT_PROGRESS'>): Refusal {
  const known = new Set(context.proposal.targets.map((indicator) => indicator.id));
  const unknown = event.indicators.filter((value) => !known.has(value.indicatorId)).map((value) => value.indicatorId);
  if (unknown.length > 0) return `unknown indicators: ${unknown.join(', ')}`;
  if (event.periodStart < context.proposal.periodStart) return 'the reported period starts before the project period';
  return null;
}

export function checkDueDateInFuture(dueDate: string, at: string): Refusal {
  const today = businessDateOf(new Date(at));
  return dueDate > today ? null : `the due date ${dueDate} must be after today (${today}, Asia/Shanghai)`;
}

export function checkNoOpenCorrection(context: ProjectContext): Refusal {
  return context.correction === null ? null : `a correction due ${context.correction.dueDate} is still open`;
}

export function checkExtension(context: ProjectContext, event: ProjectEventOf<'EXTEND_DEADLINE'>, inState: string): Refusal {
  const current = event.deadline === 'correction' ? context.correction?.dueDate : context.evaluationDueDate;
  if (event.deadline === 'correction' && inState !== 'correcting') return 'there is no open correction deadline';
  if (!current) return `there is no ${event.deadline} deadline to extend`;
  if (event.newDate <= current) return `the new date ${event.newDate} must be later than the current ${current}`;
  return checkDueDateInFuture(event.newDate, event.at);
}

export function checkEvaluation(context: ProjectContext, event: ProjectEventOf<'SUBMIT_EVALUATION'>): Refusal {
  return checkEvaluationInput(context.proposal.targets, event);
}

export function isLastApprovalStep(context: ProjectContext): boolean {
  return context.approval.step >= context.approval.chain.length - 1;
}

/** The final approval commits money: the amount must fit the request and the 就高不重复 decision. */
export function checkFinalApproval(context: ProjectContext, event: ProjectEventOf<'APPROVE'>): Refusal {
  const requested = context.proposal.requestedFen;
  const approved = event.approvedFen ?? requested;
  if (approved > requested) return `approvedFen ${approved} is more than the ${requested} fen requested`;
  const decision = event.overlapDecision;
  if (decision?.outcome === 'refuse') return `就高不重复: ${decision.reason}`;
  if (decision?.outcome === 'approver-chooses' && event.approvedFen === undefined) {
    return `就高不重复: ${decision.reason}; the approver must state approvedFen`;
  }
  if (decision?.outcome === 'top-up' && decision.approvableFen !== null && approved > decision.approvableFen) {
    return `就高不重复: only the difference of ${decision.approvableFen} fen may be paid; ${decision.reason}`;
  }
  if (!event.fundId) return 'no fund to commit from';
  return null;
}
