import { getNextTransitions, type SnapshotFrom } from 'xstate';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import {
  checkTrancheAllowed,
  checkAmendmentPending,
  checkAmendmentProposable,
  checkDueDateInFuture,
  checkEvaluation,
  checkFinalApproval,
  checkExtension,
  checkNoOpenCorrection,
  checkProgressReport,
  checkProposalComplete,
  checkTargetsValid,
  type Refusal,
} from '../src/domain/lifecycle-checks.ts';
import type { ProjectMachine } from './project.machine.ts';
import type { ProjectEventType } from './project.schemas.ts';
import type { ProjectContext, ProjectEvent } from './project.types.ts';

type Explain = (context: ProjectContext, event: ProjectEvent, rules: LifecycleRules) => Refusal;

/** Guards whose failure is a refusal the caller must be told about, with the same checks the guards use. */
const EXPLAINERS: Record<string, Explain> = {
  proposalComplete: (context, _event, rules) => checkProposalComplete(context, rules),
  finalApprovalAllowed: (context, event) => (event.type === 'APPROVE' ? checkFinalApproval(context, event) : null),
  amendmentProposable: (context, event) => (event.type === 'AMEND_TARGETS' ? checkAmendmentProposable(context, event) : null),
  amendmentPending: (context) => checkAmendmentPending(context),
  targetsValid: (_context, event) => (event.type === 'UPDATE_TARGETS' ? checkTargetsValid(event) : null),
  trancheAllowed: (context, event, rules) => (event.type === 'DISBURSE' ? checkTrancheAllowed(context, event, rules) : null),
  progressReportValid: (context, event) => (event.type === 'REPORT_PROGRESS' ? checkProgressReport(context, event) : null),
  isDeviationDueLater: (_context, event) =>
    event.type === 'CONCLUDE_INSPECTION' && event.outcome === 'deviation' ? checkDueDateInFuture(event.dueDate, event.at) : null,
  correctionDueLater: (_context, event) =>
    event.type === 'REJECT_CORRECTION' ? checkDueDateInFuture(event.dueDate, event.at) : null,
  correctionExtensionValid: (context, event) => (event.type === 'EXTEND_DEADLINE' ? checkExtension(context, event, 'correcting') : null),
  evaluationExtensionValid: (context, event) =>
    event.type === 'EXTEND_DEADLINE' ? checkExtension(context, event, 'self-evaluation') : null,
  noOpenCorrection: (context) => checkNoOpenCorrection(context),
  evaluationComplete: (context, event) => (event.type === 'SUBMIT_EVALUATION' ? checkEvaluation(context, event) : null),
};

export type ProjectSnapshot = SnapshotFrom<ProjectMachine>;

/** Event types the current state takes (guards not evaluated), in a stable order. */
export function acceptedEventTypes(snapshot: ProjectSnapshot): ProjectEventType[] {
  if (snapshot.status !== 'active') return [];
  const types = new Set<ProjectEventType>();
  for (const candidate of getNextTransitions(snapshot)) types.add(candidate.eventType as ProjectEventType);
  return [...types];
}

export type RefusalExplanation =
  | { kind: 'not-accepted'; allowed: ProjectEventType[] }
  | { kind: 'guard'; reasons: string[] };

/** Why an event changed nothing: either the state does not take it, or a guard refused it. */
export function explainRefusal(snapshot: ProjectSnapshot, event: ProjectEvent, rules: LifecycleRules): RefusalExplanation {
  if (snapshot.status !== 'active') return { kind: 'not-accepted', allowed: [] };
  const candidates = getNextTransitions(snapshot).filter((candidate) => candidate.eventType === event.type);
  if (candidates.length === 0) return { kind: 'not-accepted', allowed: acceptedEventTypes(snapshot) };
  const reasons = new Set<string>();
  for (const candidate of candidates) {
    const guard = typeof candidate.guard === 'string' ? candidate.guard : undefined;
    const reason = guard ? EXPLAINERS[guard]?.(snapshot.context, event, rules) : null;
    if (reason) reasons.add(reason);
  }
  if (reasons.size === 0) reasons.add(`${event.type} does not apply to this project as it stands`);
  return { kind: 'guard', reasons: [...reasons] };
}
