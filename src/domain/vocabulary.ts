/**
 * The words the machine, the engine, the workers, mail and reports share, as typed unions in one
 * place. Their labels (zh-CN and en) are in the message catalogues, src/i18n/*.ts, typed by these
 * unions so that a missing label is a type error. Nothing here imports anything: every layer may
 * import it.
 */

/** Deadlines a project's schedule holds; each has reminders and an overdue alert. */
export const DEADLINES = ['inspection.regular', 'inspection.unannounced', 'progress.report', 'correction', 'evaluation', 'finance.review'] as const;
export type Deadline = (typeof DEADLINES)[number];

/** Kinds of task the machine opens for a person. */
export const TASK_KINDS = [
  'review',
  'disburse',
  'conclude-inspection',
  'verify-correction',
  'evaluate',
  're-evaluate',
  'review-evaluation',
  'confirm-stop',
  'decide-suspension',
  'decide-amendment',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Notices the machine sends to keep the parties in step (联动沟通机制). */
export const NOTICE_TEMPLATES = [
  'project.approved',
  'project.rejected',
  'project.returned',
  'project.disbursed',
  'project.suspended',
  'project.resumed',
  'project.stop-requested',
  'project.stopped',
  'project.withdrawn',
  'project.completed',
  'project.closed',
  'inspection.on-track',
  'inspection.deviation',
  'inspection.serious',
  'correction.accepted',
  'correction.rejected',
  'deadline.extended',
  'evaluation.submitted',
  'evaluation.accepted',
  'evaluation.reevaluation-requested',
  'review.requested',
  'targets.amendment-proposed',
  'targets.amended',
  'targets.amendment-rejected',
] as const;
export type NoticeTemplate = (typeof NOTICE_TEMPLATES)[number];

/** Effects the machine asks for; the engine writes each as an outbox row in the command's transaction. */
export const EFFECT_ACTIONS = ['openTask', 'closeTasks', 'notify', 'recordLedger', 'planDeadline', 'cancelDeadlines', 'replanDeadlines'] as const;
export type EffectAction = (typeof EFFECT_ACTIONS)[number];

/** Ledger movements the machine records. */
export const LEDGER_EFFECT_ENTRIES = ['commit', 'disburse', 'release'] as const;
export type LedgerEffectEntry = (typeof LEDGER_EFFECT_ENTRIES)[number];

/** The machine's states, flat ("evaluated.accepted"), as stored in projects.state and filtered on. */
export const PROJECT_STATES = [
  'proposed.draft',
  'proposed.review',
  'approved',
  'executing',
  'inspected',
  'deviated-corrected.correcting',
  'deviated-corrected.verifying',
  'suspended.held',
  'suspended.stop-requested',
  'evaluated.self-evaluation',
  'evaluated.finance-review',
  'evaluated.re-evaluation',
  'evaluated.accepted',
  'closed',
  'rejected',
  'withdrawn',
  'terminated',
] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

/**
 * Tags of the machine's states (XState `tags`), persisted with every transition in projects.tags.
 * A deadline matters while the project is in a state with its relevance tag.
 */
export const STATE_TAGS = ['monitored', 'correcting', 'evaluating', 'finance-review'] as const;
export type StateTag = (typeof STATE_TAGS)[number];

/** The tag a project's state must have for a deadline's reminders to be sent. */
export const DEADLINE_RELEVANCE: Record<Deadline, StateTag> = {
  'inspection.regular': 'monitored',
  'inspection.unannounced': 'monitored',
  'progress.report': 'monitored',
  correction: 'correcting',
  evaluation: 'evaluating',
  'finance.review': 'finance-review',
};

export const isDeadline = (value: string): value is Deadline => (DEADLINES as readonly string[]).includes(value);
export const isTaskKind = (value: string): value is TaskKind => (TASK_KINDS as readonly string[]).includes(value);
export const isProjectState = (value: string): value is ProjectState => (PROJECT_STATES as readonly string[]).includes(value);

/**
 * Kinds of attached file (issue 14): 申报书, 预算明细, 合同, 发票, 验收材料, 检查证据, 整改材料,
 * 国库支付凭证, 其他. Their names are in the message catalogues (`attachmentKind`).
 */
export const ATTACHMENT_KINDS = [
  'proposal',
  'budget',
  'contract',
  'invoice',
  'acceptance',
  'inspection-evidence',
  'correction-material',
  'treasury-voucher',
  'other',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const isAttachmentKind = (value: string): value is AttachmentKind => (ATTACHMENT_KINDS as readonly string[]).includes(value);
