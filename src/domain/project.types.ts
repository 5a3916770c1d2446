import type { ApprovalRole, Role } from '../../config/roles.ts';
import type { Grade } from './evaluation-grade.ts';
import type { EvaluationScore } from './evaluation-scoring.ts';
import type { BeneficiaryFacts } from './item-rules.ts';
import type { OverlapKeys } from './overlap.ts';
import type { EventPayload, Indicator, Proposal, ProjectEventType } from './project.schemas.ts';

/** Who sent an event; the engine fills it from the authenticated caller. */
export interface Actor {
  userId: string;
  role: Role;
  orgId: string | null;
}

/** Fields the engine stamps on every event before transition(): the command time and the caller. */
export interface EventStamp {
  at: string;
  actor: Actor;
}

/** What the engine decided about support the beneficiary already had (就高不重复), stamped on the final APPROVE. */
export interface OverlapDecision {
  outcome: 'no-overlap' | 'refuse' | 'top-up' | 'approver-chooses';
  approvableFen: number | null;
  reason: string;
}

export type ProjectEvent = {
  [T in ProjectEventType]: { type: T } & EventPayload<T> & EventStamp & (T extends 'APPROVE' ? { overlapDecision?: OverlapDecision; overlapKeys?: OverlapKeys } : unknown) &
    // The beneficiary registry's entry, looked up by the engine before SUBMIT (item 12's enterprise type).
    (T extends 'SUBMIT' ? { beneficiaryFacts?: BeneficiaryFacts } : unknown);
}[ProjectEventType];

export type ProjectEventOf<T extends ProjectEventType> = Extract<ProjectEvent, { type: T }>;

export interface ApprovalDecision {
  step: number;
  role: ApprovalRole;
  decision: 'approve' | 'reject' | 'return';
  by: string;
  at: string;
  comment?: string;
}

export type InspectionOutcome = 'on-track' | 'deviation' | 'serious';

export type ResumableState =
  | 'approved'
  | 'executing'
  | 'inspected'
  | 'deviated-corrected.correcting'
  | 'deviated-corrected.verifying';

export type { Grade };

export interface EvaluationRecord {
  round: number;
  kind: 'self-evaluation' | 're-evaluation';
  by: string;
  at: string;
  totalScore: number;
  grade: Grade;
  scores: { indicatorId: string; score: number }[];
  /** The full scoring (weights as scaled to the level weights, actuals, bands), as the report shows it. */
  indicators?: EvaluationScore['indicators'];
  levels?: EvaluationScore['levels'];
  budgetExecution?: EvaluationScore['budgetExecution'];
}

export interface ProjectContext {
  projectId: string;
  code: string;
  orgId: string;
  createdBy: string;
  createdAt: string;
  proposal: Proposal;
  targetsLocked: boolean;
  /** A change of the locked targets, waiting for the Finance Bureau. */
  pendingAmendment: { targets: Indicator[]; reason: string; by: string; at: string } | null;
  /** Amendments applied so far (the audit trail has every detail). */
  amendmentCount: number;
  approval: { chain: ApprovalRole[]; step: number; decisions: ApprovalDecision[] };
  /** The fund the project's money is earmarked in, set at the final approval. */
  fundId: string | null;
  committedFen: number;
  disbursedFen: number;
  trancheCount: number;
  lastDisbursedAt: string | null;
  lastProgress: { at: string; periodEnd: string; values: Record<string, number>; spentFen?: number } | null;
  progressReportCount: number;
  inspectionCount: number;
  lastInspection: { kind: 'regular' | 'unannounced'; date: string; outcome: InspectionOutcome | null } | null;
  correction: { instructions: string; dueDate: string; round: number } | null;
  suspension: { from: ResumableState; reason: string; at: string; stopRequestedBy?: string } | null;
  evaluationDueDate: string | null;
  evaluations: EvaluationRecord[];
  completedAt: string | null;
  closedAt: string | null;
  endReason: string | null;
}

export interface ProjectInput {
  projectId: string;
  code: string;
  orgId: string;
  createdBy: string;
  createdAt: string;
  proposal: Proposal;
}

export type { Indicator };
