import { restoreProjectSnapshot } from '../../../machines/project.restore.ts';
import type { BudgetLine, Indicator, Listing } from '../../../machines/project.schemas.ts';
import { isLastApprovalStep } from '../../domain/lifecycle-checks.ts';
import { reviewBasisOf, type ReviewBasis } from './review-basis.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { buildEvaluationReport, type EvaluationReport } from '../../reports/evaluation-report.builder.ts';
import { loadEvaluationReportSource } from '../../reports/evaluation-report.loader.ts';
import { findOrganisationName } from '../../store/directory.store.ts';
import { findProject, listProjectEvents } from '../../store/projects.store.ts';
import type { LinkRow, TaskRow } from '../../store/tasks.store.ts';

/** Everything the email-link page shows, in codes and instants; the page words and formats it. */
export interface TaskPageModel {
  locale: 'zh-CN' | 'en';
  recipientName: string;
  task: { kind: string; dueDate: string };
  project: {
    code: string;
    title: string;
    item: number;
    applicant: string;
    requestedFen: number;
    periodStart: string;
    periodEnd: string;
    state: string;
    targets: Indicator[];
    budgetLines: BudgetLine[];
    listing?: Listing;
  };
  /** Flags, the 就高不重复 overlaps found so far, the payment basis of a disbursement. */
  basis: ReviewBasis;
  /** The final approval of an item that a 县政府 or 县创建领导组 decision must back: the form asks for its 会议纪要. */
  asksDecisionReference: boolean;
  history: { at: Date; type: string; actor: string | null; channel: string; reason: string | null }[];
  /** For a review of an evaluation: what the reviewer decides on (score table, grade, report text). */
  evaluation?: Pick<EvaluationReport, 'evaluation' | 'scoreTable' | 'sections'>;
}

/** Reads the project a link's task is about, through restore (never the stored JSON directly). */
export async function loadTaskPage(deps: EngineDeps, link: LinkRow, task: TaskRow): Promise<TaskPageModel> {
  const project = (await findProject(deps.db, task.project_id))!;
  const restored = restoreProjectSnapshot(deps.machine, project.machine_version, project.snapshot);
  if (!restored.ok) throw new AppError('snapshot-unrestorable', restored.reason, { projectId: project.id });
  const { context } = restored.snapshot;
  const { proposal } = context;
  const [applicant, events, evaluation, basis] = await Promise.all([
    findOrganisationName(deps.db, project.org_id),
    listProjectEvents(deps.db, project.id),
    task.kind === 'review-evaluation' ? evaluationOf(deps, project.id) : Promise.resolve(undefined),
    reviewBasisOf(deps.db, deps.rules, context, task.kind),
  ]);
  return {
    locale: link.user_locale,
    recipientName: link.user_name,
    task: { kind: task.kind, dueDate: task.due_date },
    project: {
      code: project.code,
      title: project.title,
      item: project.item,
      applicant: applicant ?? '',
      requestedFen: project.requested_fen,
      periodStart: proposal.periodStart,
      periodEnd: proposal.periodEnd,
      state: project.state,
      targets: proposal.targets,
      budgetLines: proposal.budgetLines ?? [],
      ...(proposal.listing ? { listing: proposal.listing } : {}),
    },
    basis,
    asksDecisionReference: task.kind === 'review' && deps.rules.items.decisionItems.includes(proposal.item) && isLastApprovalStep(context),
    history: events.map((e) => ({ at: new Date(e.occurred_at), type: e.event_type, actor: e.actor_name, channel: e.channel, reason: e.reason })),
    ...(evaluation ? { evaluation } : {}),
  };
}

async function evaluationOf(deps: EngineDeps, projectId: string): Promise<TaskPageModel['evaluation']> {
  const source = await loadEvaluationReportSource(deps.db, projectId);
  const report = source ? buildEvaluationReport(source, deps.now()) : undefined;
  return report ? { evaluation: report.evaluation, scoreTable: report.scoreTable, sections: report.sections } : undefined;
}
