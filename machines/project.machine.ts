import { assertEvent, assign, setup } from 'xstate';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import { routeApprovalChain } from '../src/domain/approval-routing.ts';
import { addDays, businessDateOf } from '../src/domain/business-date.ts';
import { scoreEvaluation } from '../src/domain/evaluation-scoring.ts';
import { isLastApprovalStep } from '../src/domain/lifecycle-checks.ts';
import { guardsOf } from './project.guards.ts';
import type { Role } from '../config/roles.ts';
import type { Deadline, LedgerEffectEntry, NoticeTemplate, StateTag, TaskKind } from '../src/domain/vocabulary.ts';
import type { ProjectContext, ProjectEvent, ProjectInput, ResumableState } from './project.types.ts';

/**
 * The version stored with every snapshot. Bump it whenever states or context change shape, and add
 * a migration in project.restore.ts; an unknown version is refused on load.
 */
export const PROJECT_MACHINE_VERSION = 'project@1';

/** Effects the machine asks for: the vocabulary's EFFECT_ACTIONS (one list, src/domain/vocabulary.ts). */
export { EFFECT_ACTIONS, type EffectAction } from '../src/domain/vocabulary.ts';

function resumeGuard(target: ResumableState) {
  return ({ context }: { context: ProjectContext }) => context.suspension?.from === target;
}

const SUSPEND_EFFECTS = [
  'closeTasks',
  { type: 'cancelDeadlines', params: { deadlines: ['inspection.regular', 'progress.report', 'correction'] } },
  { type: 'openTask', params: { task: 'decide-suspension', role: 'supervisor' } },
  { type: 'notify', params: { template: 'project.suspended', to: ['applicant', 'authority', 'finance'] } },
] as const;

/** Amending the locked targets: proposed by the center with a reason, decided by finance. */
const AMENDMENT_HANDLERS = {
  AMEND_TARGETS: {
    guard: 'amendmentProposable',
    actions: [
      'proposeAmendment',
      { type: 'openTask', params: { task: 'decide-amendment', role: 'finance' } },
      { type: 'notify', params: { template: 'targets.amendment-proposed', to: ['finance'] } },
    ],
  },
  APPROVE_AMENDMENT: {
    guard: 'amendmentPending',
    actions: ['applyAmendment', 'closeTasks', { type: 'notify', params: { template: 'targets.amended', to: ['applicant', 'center'] } }],
  },
  REJECT_AMENDMENT: {
    guard: 'amendmentPending',
    actions: ['dropAmendment', 'closeTasks', { type: 'notify', params: { template: 'targets.amendment-rejected', to: ['center'] } }],
  },
} as const;

const INSPECTION_EFFECTS = [
  'recordInspection',
  { type: 'openTask', params: { task: 'conclude-inspection', role: 'supervisor' } },
] as const;

const RESUME_EFFECTS = [
  'closeTasks',
  'clearSuspension',
  { type: 'replanDeadlines', params: ({ context }: { context: ProjectContext }) => ({ correctionDue: context.correction?.dueDate ?? null }) },
  { type: 'notify', params: { template: 'project.resumed', to: ['applicant', 'finance'] } },
] as const;

const EMPTY_INPUT: ProjectInput = {
  projectId: '',
  code: '',
  orgId: '',
  createdBy: '',
  createdAt: '',
  proposal: { title: '', item: 1, requestedFen: 0, periodStart: '', periodEnd: '', targets: [], contractNumbers: [], invoiceNumbers: [], budgetLines: [] },
};

export function createProjectMachine(rules: LifecycleRules) {
  // A regular inspection sets the date of the next one; an unannounced one leaves it (date null: no effect).
  const nextInspection = ({ event }: { event: ProjectEvent }) => ({
    deadline: 'inspection.regular' as const,
    date: event.type === 'RECORD_INSPECTION' && event.kind === 'regular' ? addDays(event.date, rules.inspectionCadenceDays) : null,
  });
  return setup({
    types: {
      context: {} as ProjectContext,
      events: {} as ProjectEvent,
      input: {} as ProjectInput,
      tags: {} as StateTag,
    },
    guards: {
      // The explainable guards come from the one table that also explains their refusals.
      ...guardsOf(rules),
      isNotLastApprovalStep: ({ context }) => !isLastApprovalStep(context),
      isOnTrack: ({ event }) => event.type === 'CONCLUDE_INSPECTION' && event.outcome === 'on-track',
      isSerious: ({ event }) => event.type === 'CONCLUDE_INSPECTION' && event.outcome === 'serious',
      suspendedFromApproved: resumeGuard('approved'),
      suspendedFromExecuting: resumeGuard('executing'),
      suspendedFromInspected: resumeGuard('inspected'),
      suspendedFromCorrecting: resumeGuard('deviated-corrected.correcting'),
      suspendedFromVerifying: resumeGuard('deviated-corrected.verifying'),
    },
    actions: {
      // Effects: recorded by transition(), never run inside the machine.
      openTask: (_, _params: { task: TaskKind; role: Role; step?: number }) => {},
      closeTasks: () => {},
      notify: (_, _params: { template: NoticeTemplate; to: readonly Role[] }) => {},
      recordLedger: (_, _params: { entry: LedgerEffectEntry; amountFen: number }) => {},
      planDeadline: (_, _params: { deadline: Deadline; date: string | null }) => {},
      cancelDeadlines: (_, _params: { deadlines: readonly (Deadline | '*')[] }) => {},
      replanDeadlines: (_, _params: { correctionDue: string | null }) => {},

      updateProposal: assign(({ context, event }) => {
        assertEvent(event, 'UPDATE_PROPOSAL');
        const { type: _type, at: _at, actor: _actor, beneficiaryCreditCode, listing, ...changes } = event;
        const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
        const proposal = { ...context.proposal, ...defined };
        if (beneficiaryCreditCode === null) delete proposal.beneficiaryCreditCode;
        else if (beneficiaryCreditCode !== undefined) proposal.beneficiaryCreditCode = beneficiaryCreditCode;
        if (listing === null) delete proposal.listing;
        else if (listing !== undefined) proposal.listing = listing;
        return { proposal };
      }),
      routeApproval: assign(({ context }) => ({
        approval: {
          chain: routeApprovalChain(context.proposal.item, context.proposal.requestedFen, rules),
          step: 0,
          decisions: context.approval.decisions,
        },
      })),
      recordDecision: assign(({ context, event }) => {
        assertEvent(event, ['APPROVE', 'REJECT', 'RETURN']);
        const decision = ({ APPROVE: 'approve', REJECT: 'reject', RETURN: 'return' } as const)[event.type];
        const step = context.approval.step;
        return {
          approval: {
            ...context.approval,
            decisions: [
              ...context.approval.decisions,
              {
                step,
                role: context.approval.chain[step]!,
                decision,
                by: event.actor.userId,
                at: event.at,
                ...(event.comment ? { comment: event.comment } : {}),
              },
            ],
          },
        };
      }),
      advanceApprovalStep: assign(({ context }) => ({
        approval: { ...context.approval, step: context.approval.step + 1 },
      })),
      commitApprovedAmount: assign(({ context, event }) => {
        assertEvent(event, 'APPROVE');
        return {
          committedFen: event.approvedFen ?? context.proposal.requestedFen,
          fundId: event.fundId ?? null,
          targetsLocked: true,
        };
      }),
      proposeAmendment: assign(({ event }) => {
        assertEvent(event, 'AMEND_TARGETS');
        return { pendingAmendment: { targets: event.targets, reason: event.reason, by: event.actor.userId, at: event.at } };
      }),
      applyAmendment: assign(({ context }) => ({
        proposal: { ...context.proposal, targets: context.pendingAmendment!.targets },
        pendingAmendment: null,
        amendmentCount: context.amendmentCount + 1,
      })),
      dropAmendment: assign({ pendingAmendment: null }),
      updateTargets: assign(({ context, event }) => {
        assertEvent(event, 'UPDATE_TARGETS');
        return { proposal: { ...context.proposal, targets: event.targets } };
      }),
      addDisbursement: assign(({ context, event }) => {
        assertEvent(event, 'DISBURSE');
        return {
          disbursedFen: context.disbursedFen + event.amountFen,
          trancheCount: context.trancheCount + 1,
          lastDisbursedAt: event.at,
        };
      }),
      recordProgress: assign(({ context, event }) => {
        assertEvent(event, 'REPORT_PROGRESS');
        const values = { ...(context.lastProgress?.values ?? {}) };
        for (const { indicatorId, value } of event.indicators) values[indicatorId] = value;
        return {
          progressReportCount: context.progressReportCount + 1,
          lastProgress: {
            at: event.at,
            periodEnd: event.periodEnd,
            values,
            ...(event.spentFen !== undefined ? { spentFen: event.spentFen } : {}),
          },
        };
      }),
      recordInspection: assign(({ context, event }) => {
        assertEvent(event, 'RECORD_INSPECTION');
        return {
          inspectionCount: context.inspectionCount + 1,
          lastInspection: { kind: event.kind, date: event.date, outcome: null },
        };
      }),
      recordInspectionOutcome: assign(({ context, event }) => {
        assertEvent(event, 'CONCLUDE_INSPECTION');
        return {
          lastInspection: context.lastInspection && { ...context.lastInspection, outcome: event.outcome },
        };
      }),
      openCorrection: assign(({ context, event }) => {
        assertEvent(event, ['CONCLUDE_INSPECTION', 'REJECT_CORRECTION']);
        const instructions =
          event.type === 'REJECT_CORRECTION' ? event.reason : event.outcome === 'deviation' ? event.correction : '';
        const dueDate = event.type === 'REJECT_CORRECTION' ? event.dueDate : event.outcome === 'deviation' ? event.dueDate : '';
        return { correction: { instructions, dueDate, round: (context.correction?.round ?? 0) + 1 } };
      }),
      clearCorrection: assign({ correction: null }),
      extendDeadline: assign(({ context, event }) => {
        assertEvent(event, 'EXTEND_DEADLINE');
        if (event.deadline === 'correction' && context.correction) {
          return { correction: { ...context.correction, dueDate: event.newDate } };
        }
        return { evaluationDueDate: event.newDate };
      }),
      rememberSuspension: assign(({ event }, params: { from: ResumableState }) => {
        assertEvent(event, ['SUSPEND', 'CONCLUDE_INSPECTION']);
        const reason = event.type === 'SUSPEND' ? event.reason : event.outcome === 'serious' ? event.reason : '';
        return { suspension: { from: params.from, reason, at: event.at } };
      }),
      requestStop: assign(({ context, event }) => {
        assertEvent(event, 'STOP');
        return {
          suspension: context.suspension && { ...context.suspension, stopRequestedBy: event.actor.userId },
          endReason: event.reason,
        };
      }),
      clearSuspension: assign({ suspension: null, endReason: null }),
      setEvaluationDeadline: assign(({ event }) => ({
        evaluationDueDate: addDays(businessDateOf(new Date(event.at)), rules.evaluationDueDays),
      })),
      markCompleted: assign(({ event }) => ({
        completedAt: event.at,
        evaluationDueDate: addDays(businessDateOf(new Date(event.at)), rules.evaluationDueDays),
      })),
      recordEvaluation: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_EVALUATION');
        const score = scoreEvaluation(
          context.proposal.targets,
          event,
          { committedFen: context.committedFen, disbursedFen: context.disbursedFen },
          rules.evaluation,
        );
        const round = context.evaluations.length + 1;
        return {
          evaluations: [
            ...context.evaluations,
            {
              round,
              kind: round === 1 ? ('self-evaluation' as const) : ('re-evaluation' as const),
              by: event.actor.userId,
              at: event.at,
              totalScore: score.total,
              grade: score.grade,
              scores: score.indicators.map(({ indicatorId, score: points }) => ({ indicatorId, score: points })),
              indicators: score.indicators,
              levels: score.levels,
              budgetExecution: score.budgetExecution,
            },
          ],
        };
      }),
      recordEnd: assign(({ event }) => ({
        closedAt: event.at,
        endReason: 'reason' in event && typeof event.reason === 'string' ? event.reason : null,
      })),
    },
  }).createMachine({
    id: 'project',
    initial: 'proposed',
    // xstate's transition() builds a throw-away actor without input on every call; tolerating that
    // avoids an exception per command (the real initial context always has input).
    context: ({ input = EMPTY_INPUT }) => ({
      projectId: input.projectId,
      code: input.code,
      orgId: input.orgId,
      createdBy: input.createdBy,
      createdAt: input.createdAt,
      proposal: input.proposal,
      targetsLocked: false,
      pendingAmendment: null,
      amendmentCount: 0,
      fundId: null,
      approval: { chain: [], step: 0, decisions: [] },
      committedFen: 0,
      disbursedFen: 0,
      trancheCount: 0,
      lastDisbursedAt: null,
      lastProgress: null,
      progressReportCount: 0,
      inspectionCount: 0,
      lastInspection: null,
      correction: null,
      suspension: null,
      evaluationDueDate: null,
      evaluations: [],
      completedAt: null,
      closedAt: null,
      endReason: null,
    }),
    states: {
      proposed: {
        initial: 'draft',
        on: {
          WITHDRAW: {
            target: 'withdrawn',
            actions: ['closeTasks', 'recordEnd', { type: 'notify', params: { template: 'project.withdrawn', to: ['center'] } }],
          },
        },
        states: {
          draft: {
            on: {
              UPDATE_PROPOSAL: { actions: 'updateProposal' },
              SUBMIT: {
                guard: 'proposalComplete',
                target: 'review',
                actions: [
                  'routeApproval',
                  { type: 'openTask', params: { task: 'review', role: 'center', step: 0 } },
                  { type: 'notify', params: { template: 'review.requested', to: ['center'] } },
                ],
              },
            },
          },
          review: {
            on: {
              UPDATE_TARGETS: { guard: 'targetsValid', actions: 'updateTargets' },
              APPROVE: [
                {
                  guard: 'finalApprovalAllowed',
                  target: '#project.approved',
                  actions: [
                    'recordDecision',
                    'commitApprovedAmount',
                    'closeTasks',
                    {
                      type: 'recordLedger',
                      params: ({ context }) => ({ entry: 'commit' as const, amountFen: context.committedFen }),
                    },
                    { type: 'openTask', params: { task: 'disburse', role: 'finance' } },
                    { type: 'notify', params: { template: 'project.approved', to: ['applicant', 'finance'] } },
                  ],
                },
                {
                  guard: 'isNotLastApprovalStep',
                  target: 'review',
                  reenter: true,
                  actions: [
                    'recordDecision',
                    'advanceApprovalStep',
                    'closeTasks',
                    {
                      type: 'openTask',
                      params: ({ context }) => ({
                        task: 'review',
                        role: context.approval.chain[context.approval.step]!,
                        step: context.approval.step,
                      }),
                    },
                    {
                      type: 'notify',
                      params: ({ context }) => ({
                        template: 'review.requested',
                        to: [context.approval.chain[context.approval.step]!],
                      }),
                    },
                  ],
                },
              ],
              REJECT: {
                target: '#project.rejected',
                actions: [
                  'recordDecision',
                  'closeTasks',
                  'recordEnd',
                  { type: 'notify', params: { template: 'project.rejected', to: ['applicant'] } },
                ],
              },
              RETURN: {
                target: 'draft',
                actions: [
                  'recordDecision',
                  'closeTasks',
                  { type: 'notify', params: { template: 'project.returned', to: ['applicant'] } },
                ],
              },
            },
          },
        },
      },
      approved: {
        on: {
          ...AMENDMENT_HANDLERS,
          WITHDRAW: {
            target: 'withdrawn',
            actions: [
              'closeTasks',
              'recordEnd',
              { type: 'recordLedger', params: ({ context }) => ({ entry: 'release' as const, amountFen: context.committedFen }) },
              { type: 'notify', params: { template: 'project.withdrawn', to: ['center', 'finance'] } },
            ],
          },
          DISBURSE: {
            guard: 'trancheAllowed',
            target: 'executing',
            actions: [
              'addDisbursement',
              'closeTasks',
              { type: 'recordLedger', params: ({ event }) => ({ entry: 'disburse' as const, amountFen: (event as { amountFen: number }).amountFen }) },
              {
                type: 'planDeadline',
                params: ({ event }) => ({
                  deadline: 'inspection.regular' as const,
                  date: addDays(businessDateOf(new Date(event.at)), rules.inspectionCadenceDays),
                }),
              },
              {
                type: 'planDeadline',
                params: ({ event }) => ({
                  deadline: 'progress.report',
                  date: addDays(businessDateOf(new Date(event.at)), rules.progressReportCadenceDays),
                }),
              },
              { type: 'notify', params: { template: 'project.disbursed', to: ['applicant'] } },
            ],
          },
          SUSPEND: { target: '#project.suspended', actions: [{ type: 'rememberSuspension', params: { from: 'approved' } }, ...SUSPEND_EFFECTS] },
        },
      },
      executing: {
        tags: ['monitored'],
        on: {
          ...AMENDMENT_HANDLERS,
          DISBURSE: {
            guard: 'trancheAllowed',
            actions: [
              'addDisbursement',
              { type: 'recordLedger', params: ({ event }) => ({ entry: 'disburse' as const, amountFen: (event as { amountFen: number }).amountFen }) },
              { type: 'notify', params: { template: 'project.disbursed', to: ['applicant'] } },
            ],
          },
          REPORT_PROGRESS: {
            guard: 'progressReportValid',
            actions: [
              'recordProgress',
              {
                type: 'planDeadline',
                params: ({ event }) => ({
                  deadline: 'progress.report',
                  date: addDays(businessDateOf(new Date(event.at)), rules.progressReportCadenceDays),
                }),
              },
            ],
          },
          RECORD_INSPECTION: { target: 'inspected', actions: [...INSPECTION_EFFECTS, { type: 'planDeadline', params: nextInspection }] },
          SUSPEND: { target: '#project.suspended', actions: [{ type: 'rememberSuspension', params: { from: 'executing' } }, ...SUSPEND_EFFECTS] },
          COMPLETE: {
            guard: 'noOpenCorrection',
            target: 'evaluated',
            actions: [
              'markCompleted',
              { type: 'cancelDeadlines', params: { deadlines: ['inspection.regular', 'progress.report'] } },
              { type: 'planDeadline', params: ({ context }) => ({ deadline: 'evaluation', date: context.evaluationDueDate! }) },
              { type: 'openTask', params: { task: 'evaluate', role: 'evaluator' } },
              { type: 'notify', params: { template: 'project.completed', to: ['center', 'evaluator'] } },
            ],
          },
        },
      },
      inspected: {
        tags: ['monitored'],
        on: {
          ...AMENDMENT_HANDLERS,
          CONCLUDE_INSPECTION: [
            {
              guard: 'isOnTrack',
              target: 'executing',
              // On track after a re-inspection also settles an open correction.
              actions: [
                'recordInspectionOutcome',
                'clearCorrection',
                'closeTasks',
                { type: 'cancelDeadlines', params: { deadlines: ['correction'] } },
                { type: 'notify', params: { template: 'inspection.on-track', to: ['applicant'] } },
              ],
            },
            {
              guard: 'isDeviationDueLater',
              target: 'deviated-corrected',
              actions: [
                'recordInspectionOutcome',
                'openCorrection',
                'closeTasks',
                { type: 'planDeadline', params: ({ context }) => ({ deadline: 'correction', date: context.correction!.dueDate }) },
                { type: 'notify', params: { template: 'inspection.deviation', to: ['applicant'] } },
              ],
            },
            {
              guard: 'isSerious',
              target: 'suspended',
              actions: [
                'recordInspectionOutcome',
                { type: 'rememberSuspension', params: { from: 'inspected' } },
                ...SUSPEND_EFFECTS,
                { type: 'notify', params: { template: 'inspection.serious', to: ['supervisor', 'authority', 'leadership', 'finance'] } },
              ],
            },
          ],
          SUSPEND: { target: '#project.suspended', actions: [{ type: 'rememberSuspension', params: { from: 'inspected' } }, ...SUSPEND_EFFECTS] },
        },
      },
      'deviated-corrected': {
        tags: ['monitored'],
        initial: 'correcting',
        on: {
          ...AMENDMENT_HANDLERS,
          RECORD_INSPECTION: { target: 'inspected', actions: [...INSPECTION_EFFECTS, { type: 'planDeadline', params: nextInspection }] },
        },
        states: {
          correcting: {
            tags: ['correcting'],
            on: {
              SUSPEND: { target: '#project.suspended', actions: [{ type: 'rememberSuspension', params: { from: 'deviated-corrected.correcting' } }, ...SUSPEND_EFFECTS] },
              SUBMIT_CORRECTION: {
                target: 'verifying',
                actions: [{ type: 'openTask', params: { task: 'verify-correction', role: 'inspector' } }],
              },
              EXTEND_DEADLINE: {
                guard: 'correctionExtensionValid',
                actions: [
                  'extendDeadline',
                  { type: 'planDeadline', params: ({ context }) => ({ deadline: 'correction', date: context.correction!.dueDate }) },
                  { type: 'notify', params: { template: 'deadline.extended', to: ['applicant'] } },
                ],
              },
            },
          },
          verifying: {
            on: {
              SUSPEND: { target: '#project.suspended', actions: [{ type: 'rememberSuspension', params: { from: 'deviated-corrected.verifying' } }, ...SUSPEND_EFFECTS] },
              ACCEPT_CORRECTION: {
                target: '#project.executing',
                actions: [
                  'clearCorrection',
                  'closeTasks',
                  { type: 'cancelDeadlines', params: { deadlines: ['correction'] } },
                  { type: 'notify', params: { template: 'correction.accepted', to: ['applicant'] } },
                ],
              },
              REJECT_CORRECTION: {
                guard: 'correctionDueLater',
                target: 'correcting',
                actions: [
                  'openCorrection',
                  'closeTasks',
                  { type: 'planDeadline', params: ({ context }) => ({ deadline: 'correction', date: context.correction!.dueDate }) },
                  { type: 'notify', params: { template: 'correction.rejected', to: ['applicant'] } },
                ],
              },
            },
          },
        },
      },
      suspended: {
        initial: 'held',
        on: {
          RESUME: [
            { guard: 'suspendedFromApproved', target: 'approved', actions: RESUME_EFFECTS },
            { guard: 'suspendedFromExecuting', target: 'executing', actions: RESUME_EFFECTS },
            { guard: 'suspendedFromInspected', target: 'inspected', actions: RESUME_EFFECTS },
            { guard: 'suspendedFromCorrecting', target: 'deviated-corrected.correcting', actions: RESUME_EFFECTS },
            { guard: 'suspendedFromVerifying', target: 'deviated-corrected.verifying', actions: RESUME_EFFECTS },
          ],
        },
        states: {
          held: {
            on: {
              STOP: {
                target: 'stop-requested',
                actions: [
                  'requestStop',
                  { type: 'openTask', params: { task: 'confirm-stop', role: 'finance' } },
                  { type: 'notify', params: { template: 'project.stop-requested', to: ['finance'] } },
                ],
              },
            },
          },
          'stop-requested': {
            on: {
              CONFIRM_STOP: {
                target: '#project.terminated',
                actions: [
                  'closeTasks',
                  { type: 'cancelDeadlines', params: { deadlines: ['*'] } },
                  {
                    type: 'recordLedger',
                    params: ({ context }) => ({ entry: 'release' as const, amountFen: context.committedFen - context.disbursedFen }),
                  },
                  assign({ closedAt: ({ event }) => event.at }),
                  { type: 'notify', params: { template: 'project.stopped', to: ['applicant', 'authority', 'finance', 'leadership'] } },
                ],
              },
            },
          },
        },
      },
      evaluated: {
        initial: 'self-evaluation',
        states: {
          'self-evaluation': {
            tags: ['evaluating'],
            on: {
              SUBMIT_EVALUATION: {
                guard: 'evaluationComplete',
                target: 'finance-review',
                actions: [
                  'recordEvaluation',
                  'closeTasks',
                  { type: 'cancelDeadlines', params: { deadlines: ['evaluation'] } },
                  { type: 'planDeadline', params: ({ event }) => ({ deadline: 'finance.review', date: addDays(businessDateOf(new Date(event.at)), rules.financeReviewDueDays) }) },
                  { type: 'openTask', params: { task: 'review-evaluation', role: 'finance' } },
                  { type: 'notify', params: { template: 'evaluation.submitted', to: ['finance'] } },
                ],
              },
              EXTEND_DEADLINE: {
                guard: 'evaluationExtensionValid',
                actions: [
                  'extendDeadline',
                  { type: 'planDeadline', params: ({ context }) => ({ deadline: 'evaluation', date: context.evaluationDueDate! }) },
                ],
              },
            },
          },
          'finance-review': {
            tags: ['finance-review'],
            on: {
              ACCEPT_EVALUATION: {
                target: 'accepted',
                actions: [
                  'closeTasks',
                  { type: 'cancelDeadlines', params: { deadlines: ['finance.review'] } },
                  { type: 'notify', params: { template: 'evaluation.accepted', to: ['applicant', 'center'] } },
                ],
              },
              REQUEST_REEVALUATION: {
                target: 're-evaluation',
                actions: [
                  'closeTasks',
                  { type: 'cancelDeadlines', params: { deadlines: ['finance.review'] } },
                  'setEvaluationDeadline',
                  { type: 'planDeadline', params: ({ context }) => ({ deadline: 'evaluation', date: context.evaluationDueDate! }) },
                  { type: 'openTask', params: { task: 're-evaluate', role: 'evaluator' } },
                  { type: 'notify', params: { template: 'evaluation.reevaluation-requested', to: ['evaluator', 'center'] } },
                ],
              },
            },
          },
          're-evaluation': {
            tags: ['evaluating'],
            on: {
              SUBMIT_EVALUATION: {
                guard: 'evaluationComplete',
                target: 'finance-review',
                actions: [
                  'recordEvaluation',
                  'closeTasks',
                  { type: 'cancelDeadlines', params: { deadlines: ['evaluation'] } },
                  { type: 'planDeadline', params: ({ event }) => ({ deadline: 'finance.review', date: addDays(businessDateOf(new Date(event.at)), rules.financeReviewDueDays) }) },
                  { type: 'openTask', params: { task: 'review-evaluation', role: 'finance' } },
                  { type: 'notify', params: { template: 'evaluation.submitted', to: ['finance'] } },
                ],
              },
            },
          },
          accepted: {
            on: {
              CLOSE: {
                target: '#project.closed',
                actions: [
                  'recordEnd',
                  { type: 'cancelDeadlines', params: { deadlines: ['*'] } },
                  {
                    type: 'recordLedger',
                    params: ({ context }) => ({ entry: 'release' as const, amountFen: context.committedFen - context.disbursedFen }),
                  },
                  { type: 'notify', params: { template: 'project.closed', to: ['applicant', 'finance'] } },
                ],
              },
            },
          },
        },
      },
      closed: { type: 'final' },
      rejected: { type: 'final' },
      withdrawn: { type: 'final' },
      terminated: { type: 'final' },
    },
  });
}

export type ProjectMachine = ReturnType<typeof createProjectMachine>;
