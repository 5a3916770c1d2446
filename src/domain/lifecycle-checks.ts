import type { LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { ProjectContext, ProjectEventOf } from './project.types.ts';
import { businessDateOf } from './business-date.ts';
import { checkTranche, trancheFactsOf } from './tranche-rules.ts';
import { checkDecisionReference, checkItemRulesAtSubmit } from './item-rules.ts';
import { checkEvaluationInput } from './evaluation-scoring.ts';
import { formatYuan } from './money.ts';
import { refusal, type Verdict } from './refusal.ts';

/**
 * The refusal rules behind the machine's guards. Each returns null when the event may pass, or a
 * Refusal (code, Chinese, English) saying why not; the machine's guard is `check(...) === null`,
 * and the engine calls the same function to explain a refusal, so the two never disagree.
 */
export type Refusal = Verdict;

function weightsRefusal(total: number): Refusal {
  return refusal('weights-not-100', `绩效指标权重合计为 ${total}，应为 100`, `indicator weights sum to ${total}, not 100`, { total });
}

function weightsTotal(weights: readonly number[]): number {
  return weights.reduce((sum, weight) => sum + Math.round(weight * 100), 0) / 100;
}

export function checkProposalComplete(context: ProjectContext, rules: LifecycleRules): Refusal {
  const { proposal } = context;
  if (!(proposal.requestedFen > 0)) return refusal('requested-not-positive', '申请金额必须大于 0', 'requestedFen must be more than 0');
  const ceiling = rules.itemCeilingsFen[String(proposal.item)];
  if (ceiling !== undefined && proposal.requestedFen > ceiling) {
    return refusal(
      'requested-above-item-ceiling',
      `申请金额 ${formatYuan(proposal.requestedFen)} 元超过第 ${proposal.item} 项限额 ${formatYuan(ceiling)} 元`,
      `requestedFen ${proposal.requestedFen} exceeds the ceiling of item ${proposal.item} (${ceiling} fen)`,
      { requestedFen: proposal.requestedFen, item: proposal.item, ceilingFen: ceiling },
    );
  }
  if (!(proposal.periodStart < proposal.periodEnd)) return refusal('period-not-in-order', '实施期限的开始日期须早于结束日期', 'periodStart must be before periodEnd');
  if (proposal.targets.length === 0) return refusal('targets-missing', '尚未填报绩效目标', 'performance targets (绩效目标) are missing');
  const total = weightsTotal(proposal.targets.map((indicator) => indicator.weight));
  return total === 100 ? null : weightsRefusal(total);
}

/** SUBMIT: the proposal is complete and meets its item's conditions (预算明细, training fees, listing, enterprise type). */
export function checkSubmission(context: ProjectContext, event: ProjectEventOf<'SUBMIT'>, rules: LifecycleRules): Refusal {
  return checkProposalComplete(context, rules) ?? checkItemRulesAtSubmit(context.proposal, event.beneficiaryFacts, event.at, rules.items);
}

export function checkAmendmentProposable(context: ProjectContext, event: ProjectEventOf<'AMEND_TARGETS'>): Refusal {
  if (context.pendingAmendment) {
    return refusal('amendment-already-pending', '已有一项绩效目标变更待县财政局审核', 'an amendment of the targets is already waiting for the Finance Bureau');
  }
  return checkTargetsValid(event);
}

export function checkAmendmentPending(context: ProjectContext): Refusal {
  return context.pendingAmendment ? null : refusal('no-amendment-pending', '没有待审核的绩效目标变更', 'no amendment of the targets is waiting');
}

export function checkTargetsValid(event: ProjectEventOf<'UPDATE_TARGETS' | 'AMEND_TARGETS'>): Refusal {
  const total = weightsTotal(event.targets.map((indicator) => indicator.weight));
  return total === 100 ? null : weightsRefusal(total);
}

/** A tranche within the commitment left and allowed by the tranche rules in config; the refusal names the rule. */
export function checkTrancheAllowed(context: ProjectContext, event: ProjectEventOf<'DISBURSE'>, rules: LifecycleRules): Refusal {
  const left = context.committedFen - context.disbursedFen;
  if (event.amountFen > left) {
    return refusal(
      'above-commitment-left',
      `拨付金额 ${formatYuan(event.amountFen)} 元超过剩余可拨付额度 ${formatYuan(left)} 元`,
      `amountFen ${event.amountFen} exceeds the commitment left (${left} fen)`,
      { amountFen: event.amountFen, leftFen: left },
    );
  }
  return checkTranche(rules.tranche, trancheFactsOf(context, event.amountFen, context.lastDisbursedAt));
}

export function checkProgressReport(context: ProjectContext, event: ProjectEventOf<'REPORT_PROGRESS'>): Refusal {
  const known = new Set(context.proposal.targets.map((indicator) => indicator.id));
  const unknown = event.indicators.filter((value) => !known.has(value.indicatorId)).map((value) => value.indicatorId);
  if (unknown.length > 0) return refusal('unknown-indicators', `绩效目标中没有这些指标：${unknown.join('、')}`, `unknown indicators: ${unknown.join(', ')}`);
  if (event.periodStart < context.proposal.periodStart) {
    return refusal('report-before-period', '报告期早于项目实施期限', 'the reported period starts before the project period');
  }
  return null;
}

export function checkDueDateInFuture(dueDate: string, at: string): Refusal {
  const today = businessDateOf(new Date(at));
  return dueDate > today
    ? null
    : refusal('due-date-not-future', `期限 ${dueDate} 须晚于今天（${today}，北京时间）`, `the due date ${dueDate} must be after today (${today}, Asia/Shanghai)`);
}

export function checkNoOpenCorrection(context: ProjectContext): Refusal {
  return context.correction === null
    ? null
    : refusal('correction-open', `尚有整改事项未完成（整改期限 ${context.correction.dueDate}），暂不能申请结项`, `a correction due ${context.correction.dueDate} is still open`);
}

export function checkExtension(context: ProjectContext, event: ProjectEventOf<'EXTEND_DEADLINE'>, inState: string): Refusal {
  const current = event.deadline === 'correction' ? context.correction?.dueDate : context.evaluationDueDate;
  if (event.deadline === 'correction' && inState !== 'correcting') return refusal('no-correction-deadline', '当前没有进行中的整改期限', 'there is no open correction deadline');
  if (!current) return refusal('no-deadline', `当前没有可延长的${event.deadline === 'correction' ? '整改' : '绩效评价'}期限`, `there is no ${event.deadline} deadline to extend`);
  if (event.newDate <= current) {
    return refusal('extension-not-later', `新期限 ${event.newDate} 须晚于原期限 ${current}`, `the new date ${event.newDate} must be later than the current ${current}`);
  }
  return checkDueDateInFuture(event.newDate, event.at);
}

export function checkEvaluation(context: ProjectContext, event: ProjectEventOf<'SUBMIT_EVALUATION'>): Refusal {
  const problem = checkEvaluationInput(context.proposal.targets, event);
  return problem === null ? null : refusal('evaluation-invalid', `绩效评价内容不完整或有误：${problem}`, problem);
}

export function isLastApprovalStep(context: ProjectContext): boolean {
  return context.approval.step >= context.approval.chain.length - 1;
}

/** The final approval commits money: the amount must fit the request and the 就高不重复 decision. */
export function checkFinalApproval(context: ProjectContext, event: ProjectEventOf<'APPROVE'>, rules: LifecycleRules): Refusal {
  const decisionRefusal = checkDecisionReference(context.proposal.item, event.decisionReference, event.at, rules.items);
  if (decisionRefusal) return decisionRefusal;
  const requested = context.proposal.requestedFen;
  const approved = event.approvedFen ?? requested;
  if (approved > requested) {
    return refusal('approved-above-requested', `批准金额 ${formatYuan(approved)} 元超过申请金额 ${formatYuan(requested)} 元`, `approvedFen ${approved} is more than the ${requested} fen requested`);
  }
  const decision = event.overlapDecision;
  if (decision?.outcome === 'refuse') return refusal('overlap-refused', `就高不重复：${decision.reason}`, `就高不重复: ${decision.reason}`);
  if (decision?.outcome === 'approver-chooses' && event.approvedFen === undefined) {
    return refusal('overlap-approver-chooses', `就高不重复：${decision.reason}；请填写批准金额`, `就高不重复: ${decision.reason}; the approver must state approvedFen`);
  }
  if (decision?.outcome === 'top-up' && decision.approvableFen !== null && approved > decision.approvableFen) {
    return refusal(
      'overlap-top-up-only',
      `就高不重复：只能补足差额 ${formatYuan(decision.approvableFen)} 元；${decision.reason}`,
      `就高不重复: only the difference of ${decision.approvableFen} fen may be paid; ${decision.reason}`,
      { approvableFen: decision.approvableFen },
    );
  }
  if (!event.fundId) return refusal('no-fund', '奖励资金已全部安排，没有可用于本项目的资金', 'no fund to commit from');
  return null;
}
