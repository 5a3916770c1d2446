import type { BudgetCategory, DecisionBody, ListingBoard } from '../../config/item-rules.ts';
import type { OverlapOutcome } from '../domain/overlap.ts';
import type { ProjectEventType } from '../domain/project.schemas.ts';
import type { BasisLabel } from '../domain/review-basis.ts';
import type { AlertKind } from '../domain/alert-kinds.ts';
import type { AttachmentKind, Deadline, EffectAction, NoticeTemplate, ProjectState, TaskKind } from '../domain/vocabulary.ts';

/**
 * The shape of a message catalogue: one label for every word of the vocabulary. Each language's
 * catalogue `satisfies` it, so a missing (or misspelt) key is a type error, never a runtime fallback.
 */
export interface Catalogue {
  deadline: Record<Deadline, string>;
  task: Record<TaskKind, string>;
  notice: Record<NoticeTemplate, string>;
  state: Record<ProjectState, string>;
  event: Record<ProjectEventType, string>;
  effect: Record<EffectAction, string>;
  /** Per-item rules (config/item-rules.ts): 预算明细 categories, item 11's boards, item 13's deciding bodies. */
  budgetCategory: Record<BudgetCategory, string>;
  listingBoard: Record<ListingBoard, string>;
  decisionBody: Record<DecisionBody, string>;
  /** What a task shows besides the project: payment basis, 就高不重复, flags (task email and page). */
  basisLabel: Record<BasisLabel, string>;
  overlapOutcome: Record<OverlapOutcome, string>;
  /** county view (issue 13): alert kinds as a person reads them */
  alert: Record<AlertKind, string>;
  /** Attachments (issue 14): the kinds of file a project carries. */
  attachmentKind: Record<AttachmentKind, string>;
}

export type Locale = 'zh-CN' | 'en';
