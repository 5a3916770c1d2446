import { DEFAULT_REQUIRED_MATERIALS, MATERIAL_EVENTS, requirementFor, type EventRequirement, type RequiredMaterials } from '../../../config/required-materials.ts';
import { ITEM_12_QUALIFICATIONS, LISTING_BOARDS, type ItemRules } from '../../../config/item-rules.ts';
import { ITEMS } from '../../../config/plan.ts';
import { QUALIFICATIONS } from '../../../config/qualifications.ts';
import { formatYuan } from '../../domain/money.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

type Words = { zh: string; en: string };

const qualification = (id: string): Words => {
  const found = QUALIFICATIONS.find((q) => q.id === id);
  return { zh: found?.zh ?? id, en: found?.en ?? id };
};

/**
 * One item's conditions in words, as the engine checks them at SUBMIT and the final APPROVE
 * (config/item-rules.ts, src/domain/item-rules.ts): 开支范围, item 5's training caps, item 10's
 * missing cost clause, item 11's board and listing, item 12's enterprise types, item 13's decision.
 */
export function itemConditions(item: number, rules: ItemRules): Words[] {
  const lines: Words[] = [];
  const allowed = rules.allowedCategories[String(item)];
  if (allowed) {
    lines.push({
      zh: `开支范围：${allowed.map((category) => zhCN.budgetCategory[category]).join('、')}`,
      en: `Allowed costs: ${allowed.map((category) => en.budgetCategory[category]).join(', ')}`,
    });
  }
  if (rules.noCostClauseItems.includes(item)) {
    lines.push({ zh: '方案未规定开支范围，由审核人逐项把关（系统提示审核人）', en: 'The plan sets no cost clause: reviewers judge the costs (they see a flag)' });
  }
  if (allowed?.some((category) => rules.trainingCategories.includes(category))) {
    const caps = rules.trainingFeeCaps;
    lines.push({
      zh: `培训费标准：每人每天不超过 ${formatYuan(caps.perPersonPerDayFen)} 元，每期不超过 ${formatYuan(caps.perSessionFen)} 元`,
      en: `Training fees: at most ${formatYuan(caps.perPersonPerDayFen)} yuan per person per day and ${formatYuan(caps.perSessionFen)} yuan per session`,
    });
  }
  if (rules.listingItems.includes(item)) {
    lines.push({
      zh: `须注明拟上市挂牌板块（${LISTING_BOARDS.map((board) => zhCN.listingBoard[board]).join('、')}）及上市挂牌公告`,
      en: `Names the target board (${LISTING_BOARDS.map((board) => en.listingBoard[board]).join(', ')}) and the listing announcement`,
    });
  }
  if (rules.enterpriseTypeItems.includes(item)) {
    lines.push({
      zh: `受益企业须在受益企业登记中为：${ITEM_12_QUALIFICATIONS.map((id) => qualification(id).zh).join('、')}之一`,
      en: `The beneficiary must be registered as one of: ${ITEM_12_QUALIFICATIONS.map((id) => qualification(id).en).join(', ')}`,
    });
  }
  if (rules.decisionItems.includes(item)) {
    lines.push({ zh: '最后一步审批须填写县政府或县创建领导组的决定（会议纪要编号和日期）', en: 'The final approval names the decision of the county government or the leadership group (minutes number and date)' });
  }
  return lines;
}

function requirementInWords(requirement: EventRequirement): Words {
  const groups = requirement.groups.map((group) => ({
    zh: group.anyOf.map((kind) => zhCN.attachmentKind[kind]).join('或') + (group.fresh ? '（须为上次同类办理之后上传的）' : ''),
    en: group.anyOf.map((kind) => en.attachmentKind[kind]).join(' or ') + (group.fresh ? ' (uploaded since the previous event of this kind)' : ''),
  }));
  if (requirement.voucherNumber) groups.push({ zh: '国库支付凭证号', en: 'the treasury payment voucher number' });
  const when = requirement.outcomes
    ? {
        zh: `（检查结论为${requirement.outcomes.map((outcome) => ({ 'on-track': '正常', deviation: '存在偏差', serious: '问题严重' })[outcome]).join('或')}时）`,
        en: ` (when the outcome is ${requirement.outcomes.join(' or ')})`,
      }
    : { zh: '', en: '' };
  return { zh: `${groups.map((g) => g.zh).join('；')}${when.zh}`, en: `${groups.map((g) => g.en).join('; ')}${when.en}` };
}

/** The materials each event needs (config/required-materials.ts), with the items that differ. */
export function materialsInWords(materials: RequiredMaterials = DEFAULT_REQUIRED_MATERIALS) {
  return {
    voucherPattern: materials.voucherPattern,
    events: MATERIAL_EVENTS.flatMap((event) => {
      const requirement = materials.events[event];
      if (!requirement) return [];
      const itemOverrides = ITEMS.filter((item) => materials.items[String(item.id)]?.[event]).map((item) => ({
        item: item.id,
        ...requirementInWords(requirementFor(materials, item.id, event)!),
      }));
      return [{ event, nameZh: zhCN.event[event], nameEn: en.event[event], ...requirementInWords(requirement), items: itemOverrides }];
    }),
  };
}
