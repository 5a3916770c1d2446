import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import {
  checkAmendmentPending,
  checkAmendmentProposable,
  checkDueDateInFuture,
  checkEvaluation,
  checkExtension,
  checkFinalApproval,
  checkNoOpenCorrection,
  checkProgressReport,
  checkSubmission,
  checkTargetsValid,
  checkTrancheAllowed,
  isLastApprovalStep,
} from '../src/domain/lifecycle-checks.ts';
import { refusal, type Refusal } from '../src/domain/refusal.ts';
import type { ProjectContext, ProjectEvent } from './project.types.ts';

export type GuardCheck = (context: ProjectContext, event: ProjectEvent, rules: LifecycleRules) => Refusal | null;

/**
 * The guard table, wired once: each explainable guard of the machine is `check(...) === null`
 * (guardsOf below), and explainRefusal (project.refusals.ts) calls the same check to say why an
 * event was refused. A check for an event type it does not concern passes (null): XState only
 * evaluates a guard on its own transition's event.
 */
export const GUARD_CHECKS = {
  proposalComplete: (context, event, rules) => (event.type === 'SUBMIT' ? checkSubmission(context, event, rules) : null),
  finalApprovalAllowed: (context, event, rules) => {
    if (event.type !== 'APPROVE') return null;
    // Not the last step: the other APPROVE transition (isNotLastApprovalStep) takes the event.
    if (!isLastApprovalStep(context)) return refusal('not-last-approval-step', '尚未到最后一级审批', 'this is not the last approval step');
    return checkFinalApproval(context, event, rules);
  },
  amendmentProposable: (context, event) => (event.type === 'AMEND_TARGETS' ? checkAmendmentProposable(context, event) : null),
  amendmentPending: (context) => checkAmendmentPending(context),
  targetsValid: (_context, event) => (event.type === 'UPDATE_TARGETS' ? checkTargetsValid(event) : null),
  trancheAllowed: (context, event, rules) => (event.type === 'DISBURSE' ? checkTrancheAllowed(context, event, rules) : null),
  progressReportValid: (context, event) => (event.type === 'REPORT_PROGRESS' ? checkProgressReport(context, event) : null),
  isDeviationDueLater: (_context, event) =>
    event.type === 'CONCLUDE_INSPECTION' && event.outcome === 'deviation'
      ? checkDueDateInFuture(event.dueDate, event.at)
      : refusal('not-a-deviation', '检查结论不是偏差', 'the inspection outcome is not a deviation'),
  correctionDueLater: (_context, event) => (event.type === 'REJECT_CORRECTION' ? checkDueDateInFuture(event.dueDate, event.at) : null),
  correctionExtensionValid: (context, event) => (event.type === 'EXTEND_DEADLINE' ? checkExtension(context, event, 'correcting') : null),
  evaluationExtensionValid: (context, event) => (event.type === 'EXTEND_DEADLINE' ? checkExtension(context, event, 'self-evaluation') : null),
  noOpenCorrection: (context) => checkNoOpenCorrection(context),
  evaluationComplete: (context, event) => (event.type === 'SUBMIT_EVALUATION' ? checkEvaluation(context, event) : null),
} satisfies Record<string, GuardCheck>;

export type ExplainableGuard = keyof typeof GUARD_CHECKS;

type Guard = (args: { context: ProjectContext; event: ProjectEvent }) => boolean;

/** The machine's explainable guards, from the one table. */
export function guardsOf(rules: LifecycleRules): Record<ExplainableGuard, Guard> {
  const entries = (Object.keys(GUARD_CHECKS) as ExplainableGuard[]).map((name) => {
    const check: GuardCheck = GUARD_CHECKS[name];
    const guard: Guard = ({ context, event }) => check(context, event, rules) === null;
    return [name, guard] as const;
  });
  return Object.fromEntries(entries) as Record<ExplainableGuard, Guard>;
}
