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
  /** mail (issue 14 item 6): the sentences of every email. */
  mail: MailCatalogue;
  /** The sign-in pages an email link opens (src/http/pages/sign-in.page.ts). */
  signInPage: SignInPageCatalogue;
  /** The task page an email link opens, and what a used or dead link says (src/http/pages/task-link.page.ts). */
  taskPage: TaskPageCatalogue;
}

export type Locale = 'zh-CN' | 'en';

// mail (issue 14 item 6): every sentence of the emails, in the register of WORDING.md.
/**
 * The sentences of the emails (src/mail/*.template.ts). A sentence with values is a function of them;
 * the templates only arrange these and escape them for HTML. Every entry is a string or a function
 * returning one: tests/unit/catalogue.test.ts renders each with sample values in both languages.
 */
export interface MailCatalogue {
  /** 【阳城县奖励资金】: the subject of every email starts with it. */
  subjectPrefix: string;
  /** 阳城县中小企业发展促进中心: the last line of every email. */
  sender: string;
  /** XX同志，您好： */
  greeting: (name: string) => string;
  /** An amount already formatted with thousands separators, in 元. */
  amount: (yuan: string) => string;
  /** A labelled row of a task email or page (项目编号：YC-…). */
  row: (label: string, value: string) => string;
  /** A 就高不重复 outcome followed by its reason. */
  explained: (outcome: string, reason: string) => string;

  signInSubject: string;
  signInAsk: (code: string, until: string) => string;
  signInNotYou: string;

  inviteSubject: string;
  inviteAsk: (roleName: string, code: string, until: string) => string;
  inviteWhenExpired: (signInPage: string) => string;

  reminderSubject: (p: { escalated: boolean; code: string; deadline: string; when: string; dueDate: string }) => string;
  /** When the deadline falls relative to today: negative days = before it, 0 = today, positive = overdue. */
  reminderWhen: (offsetDays: number) => string;
  reminderBody: (p: { code: string; title: string; itemName: string; deadline: string; dueDate: string; when: string }) => string;
  reminderEscalated: string;
  reminderInTime: string;
  reminderProject: (link: string) => string;

  taskSubject: (code: string, task: string, dueDate: string) => string;
  taskAsk: (code: string, task: string, dueDate: string) => string;
  taskRowCode: string;
  taskRowTitle: string;
  taskRowItem: string;
  taskItem: (item: number, itemName: string) => string;
  taskRowApplicant: string;
  taskRowTask: string;
  taskRowDue: string;
  taskDue: (dueDate: string) => string;
  taskActByLink: string;
  taskActInSystem: string;

  noticeSubject: (code: string, notice: string) => string;
  noticeBody: (code: string, title: string, notice: string) => string;
  noticeNote: (reason: string) => string;
  noticeProject: string;

  monthlyReportSubject: (monthLabel: string) => string;
  monthlyReportBody: (from: string, to: string, withFundReport: boolean) => string;
}

/** The sign-in pages (src/http/pages/sign-in.page.ts): the link's continue page, a dead link, a request. */
export interface SignInPageCatalogue {
  system: string;
  continueTitle: string;
  continueAsk: string;
  continueNotYou: string;
  goneTitle: string;
  goneHeading: string;
  emailLabel: string;
  requestNewLink: string;
  sentTitle: string;
  sentHeading: string;
  sentBody: string;
  formExpired: string;
  tooManyRequests: string;
  problemTitle: string;
}

/** The page an email link opens (src/http/pages/task-link.page.ts): the task, the decision form, a used or dead link. */
export interface TaskPageCatalogue {
  heading: (task: string) => string;
  greeting: (name: string) => string;
  rowCode: string;
  rowTitle: string;
  rowItem: string;
  itemValue: (item: number, itemName: string) => string;
  rowApplicant: string;
  rowRequested: string;
  amount: (yuan: string) => string;
  rowPeriod: string;
  period: (start: string, end: string) => string;
  rowState: string;
  rowDue: string;
  due: (dueDate: string) => string;
  listingBoard: string;
  listingAnnouncement: string;
  listSeparator: string;
  notGiven: string;
  targets: string;
  colLevel: string;
  colIndicator: string;
  colTarget: string;
  colAchieved: string;
  colWeight: string;
  colScore: string;
  qualitative: string;
  evaluationScores: string;
  total: string;
  totalScoreLabel: string;
  scoreAndGrade: (score: string, grade: string) => string;
  evaluationReport: string;
  budgetLines: string;
  colCategory: string;
  colPurpose: string;
  colFigures: string;
  colAmount: string;
  persons: (count: number) => string;
  days: (count: number) => string;
  sessions: (count: number) => string;
  decisionNeeded: string;
  decidedBy: string;
  minutesNumber: string;
  meetingDate: string;
  yourDecision: string;
  decisionApprove: string;
  decisionReject: string;
  decisionReturn: string;
  acceptEvaluation: string;
  orderReevaluation: string;
  approveAmendment: string;
  rejectAmendment: string;
  confirmStop: string;
  comment: string;
  submit: string;
  actInSystem: string;
  history: string;
  colWhen: string;
  colEvent: string;
  colBy: string;
  colChannel: string;
  colComment: string;
  linkInvalid: string;
  linkUsed: (at: string, by: string) => string;
  projectMovedOn: string;
  linkClosed: (at: string, what: string, by: string) => string;
  linkRevoked: (at: string, reason: string) => string;
  linkExpired: (at: string) => string;
  recipientInactive: string;
  justUsed: string;
  goneTitle: string;
  goneHeading: string;
  nothingChanged: string;
  doneTitle: string;
  done: (code: string, event: string, state: string) => string;
  refusalForbidden: string;
  refusalNotAllowed: string;
  refusalGuard: string;
  refusalConflict: string;
  refusalOther: string;
  refusal: (lead: string, message: string) => string;
  problemTitle: string;
  /** Why a link was revoked, from the reason the link store keeps (in English). */
  revokedReason: (reason: string) => string;
}
