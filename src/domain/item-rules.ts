import { BOARDS_BY_QUALIFICATION, ITEM_12_QUALIFICATIONS, type ItemRules } from '../../config/item-rules.ts';
import { labelOf } from '../i18n/messages.ts';
import { QUALIFICATIONS, type QualificationId } from '../../config/qualifications.ts';
import { businessDateOf } from './business-date.ts';
import { formatYuan, sumFen } from './money.ts';
import type { BudgetLine, DecisionReference, Proposal } from './project.schemas.ts';
import { refusal, type Refusal, type Verdict } from './refusal.ts';

/**
 * The per-item conditions of the plan (阳政办发〔2024〕74号, section 三), pure: each check returns
 * null when the proposal may pass, or one Refusal saying which rule applies and what to do. Where
 * the plan leaves a matter to judgment, `reviewFlags` names it for the reviewers instead of refusing.
 */

/** What the engine looked up before SUBMIT: the beneficiary's entry in the beneficiary registry. */
export interface BeneficiaryFacts {
  /** The 统一社会信用代码 the checks use (src/domain/beneficiary-code.ts), or null. */
  code: string | null;
  /** Its qualifications in the registry; null when the code is not in the registry. */
  qualifications: QualificationId[] | null;
}

/** Something a reviewer should judge, shown on the task page, in the task email and on the project page. */
export interface ReviewFlag {
  code: string;
  zh: string;
  en: string;
}

const yuan = (fen: number | bigint) => `${formatYuan(fen)} 元`;
const categoryZh = (line: BudgetLine) => labelOf('budgetCategory', line.category).zh;

/** 开支范围 of an item, or undefined when the plan gives it no cost clause (any category). */
export function allowedCategoriesOf(item: number, rules: ItemRules): readonly string[] | undefined {
  return rules.allowedCategories[String(item)];
}

/** Item 5's training-fee standard on one training row: per person per day, and per session. */
export function checkTrainingLine(line: BudgetLine, index: number, rules: ItemRules): Verdict {
  const row = index + 1;
  const caps = rules.trainingFeeCaps;
  if (line.persons === undefined || line.days === undefined) {
    return refusal(
      'training-line-incomplete',
      `预算明细第 ${row} 行为培训费，须填写参训人数和培训天数`,
      `budget line ${row} is a training fee: persons and days are required`,
      { line: row },
    );
  }
  // days may be a half day: the cap of one person-day times persons times days, in whole fen.
  const personDayCap = Math.floor(caps.perPersonPerDayFen * line.persons * line.days);
  if (line.amountFen > personDayCap) {
    return refusal(
      'training-above-person-day-cap',
      `预算明细第 ${row} 行培训费 ${yuan(line.amountFen)} 超过标准 ${yuan(caps.perPersonPerDayFen)}/人·天（${line.persons} 人 × ${line.days} 天，最多 ${yuan(personDayCap)}），请按县培训费管理规定调整`,
      `budget line ${row}: training fee ${yuan(line.amountFen)} exceeds ${yuan(caps.perPersonPerDayFen)} per person per day (${line.persons} × ${line.days}, at most ${yuan(personDayCap)})`,
      { line: row, amountFen: line.amountFen, capFen: personDayCap },
    );
  }
  const sessions = line.sessions ?? 1;
  const sessionCap = caps.perSessionFen * sessions;
  if (line.amountFen > sessionCap) {
    return refusal(
      'training-above-session-cap',
      `预算明细第 ${row} 行培训费 ${yuan(line.amountFen)} 超过每期 ${yuan(caps.perSessionFen)} 的标准（${sessions} 期，最多 ${yuan(sessionCap)}），请按县培训费管理规定调整`,
      `budget line ${row}: training fee ${yuan(line.amountFen)} exceeds ${yuan(caps.perSessionFen)} per session (${sessions} sessions, at most ${yuan(sessionCap)})`,
      { line: row, amountFen: line.amountFen, capFen: sessionCap },
    );
  }
  return null;
}

/** 预算明细: present, adding up to the requested amount, within the item's 开支范围, training within the caps. */
export function checkBudgetLines(proposal: Pick<Proposal, 'item' | 'requestedFen' | 'budgetLines'>, rules: ItemRules): Verdict {
  const lines = proposal.budgetLines ?? [];
  if (lines.length === 0) {
    return refusal('budget-lines-missing', '尚未填报预算明细，请逐项填写开支类别、用途和金额', 'the budget lines (预算明细) are missing');
  }
  const total = sumFen(lines.map((line) => line.amountFen));
  if (total !== BigInt(proposal.requestedFen)) {
    return refusal(
      'budget-lines-not-requested',
      `预算明细合计 ${yuan(total)}，与申请金额 ${yuan(proposal.requestedFen)} 不一致`,
      `the budget lines add up to ${yuan(total)}, not the ${yuan(proposal.requestedFen)} requested`,
      { totalFen: Number(total), requestedFen: proposal.requestedFen },
    );
  }
  const allowed = allowedCategoriesOf(proposal.item, rules);
  for (const [index, line] of lines.entries()) {
    if (allowed && !allowed.includes(line.category)) {
      const scope = allowed.map((category) => labelOf('budgetCategory', category as BudgetLine['category']).zh).join('、');
      return refusal(
        'budget-line-out-of-scope',
        `预算明细第 ${index + 1} 行“${categoryZh(line)}”不在第 ${proposal.item} 项的开支范围内（${scope}）`,
        `budget line ${index + 1} (${line.category}) is outside the cost scope of item ${proposal.item} (${allowed.join(', ')})`,
        { line: index + 1, item: proposal.item, category: line.category },
      );
    }
    if (rules.trainingCategories.includes(line.category)) {
      const verdict = checkTrainingLine(line, index, rules);
      if (verdict) return verdict;
    }
  }
  return null;
}

/** Item 11: the board, and the announcement of the successful listing (reference and date, not after today). */
export function checkListing(proposal: Pick<Proposal, 'item' | 'listing'>, today: string, rules: ItemRules): Verdict {
  if (!rules.listingItems.includes(proposal.item)) return null;
  const listing = proposal.listing;
  if (!listing) {
    return refusal(
      'listing-board-missing',
      `第 ${proposal.item} 项须填写上市挂牌板块（北交所、科创板、创业板或新三板）`,
      `item ${proposal.item} needs the listing board (BSE, STAR, ChiNext or NEEQ)`,
      { item: proposal.item },
    );
  }
  if (!listing.announcementRef || !listing.announcementDate) {
    return refusal(
      'listing-evidence-missing',
      `第 ${proposal.item} 项支持的是成功上市挂牌的相关费用，须填写${labelOf('listingBoard', listing.board).zh}上市挂牌公告的文号和日期`,
      `item ${proposal.item} pays for a successful listing: the listing announcement's reference and date are required`,
      { item: proposal.item, board: listing.board },
    );
  }
  if (listing.announcementDate > today) {
    return refusal(
      'listing-announcement-future',
      `上市挂牌公告日期 ${listing.announcementDate} 晚于今天（${today}，北京时间），须在成功上市挂牌后申报`,
      `the listing announcement date ${listing.announcementDate} is after today (${today}, Asia/Shanghai)`,
      { announcementDate: listing.announcementDate },
    );
  }
  return null;
}

/** Item 12: the beneficiary is 专精特新, 高新技术企业, 科技型中小企业 or 创新型中小企业 in the beneficiary registry. */
export function checkEnterpriseType(item: number, facts: BeneficiaryFacts | undefined, rules: ItemRules): Verdict {
  if (!rules.enterpriseTypeItems.includes(item)) return null;
  const types = '专精特新企业、高新技术企业、科技型中小企业或创新型中小企业';
  if (!facts?.code || facts.qualifications === null) {
    return refusal(
      'enterprise-type-unknown',
      `第 ${item} 项只支持${types}；受益企业${facts?.code ? `（${facts.code}）` : ''}尚未在受益企业名录中登记企业类型，请县促进中心先登记`,
      `item ${item} supports only 专精特新, high-tech, technology-based or innovative SMEs; the beneficiary is not in the beneficiary registry`,
      { item },
    );
  }
  if (!facts.qualifications.some((id) => ITEM_12_QUALIFICATIONS.includes(id))) {
    return refusal(
      'enterprise-type-not-eligible',
      `第 ${item} 项只支持${types}；受益企业 ${facts.code} 在受益企业名录中不属于上述类型`,
      `item ${item} supports only 专精特新, high-tech, technology-based or innovative SMEs; ${facts.code} is none of these in the registry`,
      { item, code: facts.code },
    );
  }
  return null;
}

/** Every per-item rule that applies at SUBMIT, the first refusal or null. */
export function checkItemRulesAtSubmit(
  proposal: Pick<Proposal, 'item' | 'requestedFen' | 'budgetLines' | 'listing'>,
  facts: BeneficiaryFacts | undefined,
  at: string,
  rules: ItemRules,
): Verdict {
  return (
    checkBudgetLines(proposal, rules) ??
    checkListing(proposal, businessDateOf(new Date(at)), rules) ??
    checkEnterpriseType(proposal.item, facts, rules)
  );
}

/** Item 13 at the final approval: the decision (会议纪要 number and date, not after today) of 县政府 or 县创建领导组. */
export function checkDecisionReference(item: number, reference: DecisionReference | undefined, at: string, rules: ItemRules): Refusal | null {
  if (!rules.decisionItems.includes(item)) return null;
  if (!reference) {
    return refusal(
      'decision-reference-missing',
      `第 ${item} 项为县政府、县创建领导组支持事项，审批时须填写县政府或县创建领导组会议纪要的文号和日期`,
      `item ${item} is decided by the county government or the leadership group: the decision's minutes number and date are required`,
      { item },
    );
  }
  const today = businessDateOf(new Date(at));
  if (reference.date > today) {
    return refusal(
      'decision-reference-future',
      `${labelOf('decisionBody', reference.body).zh}会议纪要日期 ${reference.date} 晚于今天（${today}，北京时间）`,
      `the decision date ${reference.date} is after today (${today}, Asia/Shanghai)`,
      { date: reference.date },
    );
  }
  return null;
}

const qualificationZh = (id: QualificationId) => QUALIFICATIONS.find((q) => q.id === id)?.zh ?? id;

/** What reviewers should judge where the plan leaves it open; never a refusal. */
export function reviewFlags(proposal: Pick<Proposal, 'item' | 'listing'>, facts: BeneficiaryFacts | undefined, rules: ItemRules): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  if (rules.noCostClauseItems.includes(proposal.item)) {
    flags.push({
      code: 'no-cost-clause',
      zh: `方案第 ${proposal.item} 项未规定开支范围，请审核人逐项判断预算明细是否合理`,
      en: `the plan gives item ${proposal.item} no cost clause: reviewers judge each budget line`,
    });
  }
  if (rules.decisionItems.includes(proposal.item)) {
    flags.push({
      code: 'decision-required',
      zh: `第 ${proposal.item} 项须有县政府或县创建领导组的决定，最后一级审批时填写会议纪要文号和日期`,
      en: `item ${proposal.item} needs a decision of the county government or the leadership group, named at the final approval`,
    });
  }
  const board = proposal.listing?.board;
  if (board && rules.listingItems.includes(proposal.item) && facts?.qualifications) {
    const usual = new Set(facts.qualifications.flatMap((id) => BOARDS_BY_QUALIFICATION[id] ?? []));
    if (!usual.has(board)) {
      const held = facts.qualifications.map(qualificationZh).join('、') || '未登记专精特新资质';
      flags.push({
        code: 'listing-board-unusual',
        zh: `方案重点组织国家级专精特新“小巨人”对接北交所、科创板和创业板，省级专精特新中小企业和创新型中小企业对接“新三板”；受益企业（${held}）申报${labelOf('listingBoard', board).zh}，请审核人判断`,
        en: `the plan steers national little giants to BSE/STAR/ChiNext and provincial or innovative SMEs to NEEQ; this beneficiary's board (${board}) is outside that path`,
      });
    }
  }
  return flags;
}

/**
 * One budget line for the whole requested amount, in the item's first allowed category (training
 * rows sized to stay within the caps): what the demo seed and test fixtures put in a proposal.
 */
export function budgetLineCovering(item: number, requestedFen: number, rules: ItemRules): BudgetLine {
  const category = (allowedCategoriesOf(item, rules)?.[0] ?? 'other') as BudgetLine['category'];
  const line: BudgetLine = { category, description: labelOf('budgetCategory', category).zh, amountFen: requestedFen };
  if (!rules.trainingCategories.includes(category)) return line;
  const days = 2;
  const persons = Math.max(1, Math.ceil(requestedFen / (rules.trainingFeeCaps.perPersonPerDayFen * days)));
  const sessions = Math.max(1, Math.ceil(requestedFen / rules.trainingFeeCaps.perSessionFen));
  return { ...line, persons, days, sessions };
}
