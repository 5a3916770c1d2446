import type { LifecycleRules } from '../../../config/lifecycle-rules.ts';
import { storedContextOf } from '../../../machines/project.restore.ts';
import type { ProjectContext } from '../../../machines/project.types.ts';
import { reviewFlags, type ReviewFlag } from '../../domain/item-rules.ts';
import { overlapKeysOf } from '../../domain/overlap.ts';
import { AppError } from '../../engine/app-error.ts';
import { checkOverlap, resolveBeneficiaryCode } from '../../engine/overlap-decision.ts';
import { findBeneficiary } from '../../store/beneficiaries.store.ts';
import type { Database } from '../../store/database.ts';
import { findPaymentBasis } from '../../store/overlap.store.ts';
import { findProject } from '../../store/projects.store.ts';

/** What the overlap check finds today for a proposal under review (the final APPROVE decides again, and audits it). */
export type OverlapPreview =
  | { kind: 'checked'; outcome: string; approvableFen: number | null; reason: string; matches: string[] }
  | { kind: 'not-checked'; reason: string };

/**
 * What a person deciding a task should see besides the project itself: the per-item flags the plan
 * leaves to judgment, for a review the 就高不重复 overlaps found so far (recorded prior support and
 * this system's own approvals), and for a disbursement the payment basis (批准金额, paid, left).
 */
export interface ReviewBasis {
  flags: ReviewFlag[];
  overlap: OverlapPreview | null;
  payment: { approvedFen: number; paidFen: number; leftFen: number } | null;
}

export async function reviewBasisOf(db: Database, rules: LifecycleRules, context: ProjectContext, taskKind: string): Promise<ReviewBasis> {
  const { proposal } = context;
  // For the preview a typed code counts as typed: center staff confirm it in their own review.
  const code = await resolveBeneficiaryCode(db, context, proposal.beneficiaryCreditCode ?? undefined).catch((error: unknown) => {
    if (error instanceof AppError) return error;
    throw error;
  });
  const registry = typeof code === 'string' ? await findBeneficiary(db, code) : undefined;
  const flags = reviewFlags(proposal, typeof code === 'string' ? { code, qualifications: registry?.qualifications ?? null } : undefined, rules.items);
  let overlap: OverlapPreview | null = null;
  if (taskKind === 'review') {
    if (code instanceof AppError) overlap = { kind: 'not-checked', reason: code.message };
    else {
      const keys = overlapKeysOf(proposal, code);
      const { overlaps, decision } = await checkOverlap(db, { projectId: context.projectId, ...keys, item: proposal.item, requestedFen: proposal.requestedFen }, rules);
      overlap = {
        kind: 'checked',
        outcome: decision.outcome,
        approvableFen: decision.approvableFen === null ? null : Number(decision.approvableFen),
        reason: decision.reason,
        matches: overlaps.map((found) => `${found.record.policy}（${found.record.id ?? ''}）：${found.description}`),
      };
    }
  }
  const payment = taskKind === 'disburse' ? await findPaymentBasis(db, context.projectId) : null;
  return { flags, overlap, payment };
}

/** The same, read by project id (the effects worker has no restored snapshot at hand). */
export async function reviewBasisOfProject(db: Database, rules: LifecycleRules, projectId: string, taskKind: string): Promise<ReviewBasis | null> {
  const row = await findProject(db, projectId);
  return row ? reviewBasisOf(db, rules, storedContextOf(row), taskKind) : null;
}
