import { CATEGORIES, ITEMS } from '../../../config/plan.ts';
import { ROLE_NAMES, type Role } from '../../../config/roles.ts';
import { TASK_KINDS } from '../../../src/domain/vocabulary.ts';
import { en as enCatalogue } from '../../../src/i18n/en.ts';
import { zhCN } from '../../../src/i18n/zh-CN.ts';

/**
 * Words a person reads for the codes the API returns (WORDING.md: no raw codes on a page).
 * Chinese first; English for the switch.
 */
export type Lang = 'zh' | 'en';
type Pair = { zh: string; en: string };

export const STATE_NAMES: Record<string, Pair> = {
  proposed: { zh: '申报', en: 'Proposed' },
  'proposed.draft': { zh: '草稿', en: 'Draft' },
  'proposed.review': { zh: '审核中', en: 'In review' },
  approved: { zh: '已批准', en: 'Approved' },
  executing: { zh: '实施中', en: 'Executing' },
  inspected: { zh: '待出具检查结论', en: 'Awaiting inspection conclusion' },
  'deviated-corrected': { zh: '偏差整改', en: 'Deviation and correction' },
  'deviated-corrected.correcting': { zh: '整改中', en: 'Correcting' },
  'deviated-corrected.verifying': { zh: '整改核查中', en: 'Correction being verified' },
  suspended: { zh: '暂缓执行', en: 'Suspended' },
  'suspended.held': { zh: '暂缓执行', en: 'Suspended' },
  'suspended.stop-requested': { zh: '暂缓执行（待确认停止）', en: 'Suspended (stop to confirm)' },
  evaluated: { zh: '绩效评价', en: 'Evaluation' },
  'evaluated.self-evaluation': { zh: '绩效评价中', en: 'Being evaluated' },
  'evaluated.finance-review': { zh: '待县财政局审查', en: 'Finance review' },
  'evaluated.re-evaluation': { zh: '再评价中', en: 'Re-evaluation' },
  'evaluated.accepted': { zh: '绩效评价已审查', en: 'Evaluation accepted' },
  closed: { zh: '已结项', en: 'Closed' },
  rejected: { zh: '审核未通过', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  terminated: { zh: '已停止执行', en: 'Terminated' },
};

export const EVENT_NAMES: Record<string, Pair> = {
  PROPOSE: { zh: '创建申报', en: 'Proposed' },
  UPDATE_PROPOSAL: { zh: '修改申报', en: 'Update proposal' },
  SUBMIT: { zh: '提交申报', en: 'Submit' },
  WITHDRAW: { zh: '撤回申报', en: 'Withdraw' },
  UPDATE_TARGETS: { zh: '调整绩效目标', en: 'Update targets' },
  AMEND_TARGETS: { zh: '申请变更绩效目标', en: 'Amend targets' },
  APPROVE_AMENDMENT: { zh: '同意变更', en: 'Approve amendment' },
  REJECT_AMENDMENT: { zh: '不同意变更', en: 'Reject amendment' },
  APPROVE: { zh: '同意', en: 'Approve' },
  REJECT: { zh: '不同意', en: 'Reject' },
  RETURN: { zh: '退回修改', en: 'Return for revision' },
  DISBURSE: { zh: '拨付资金', en: 'Disburse' },
  REPORT_PROGRESS: { zh: '报告进展', en: 'Report progress' },
  RECORD_INSPECTION: { zh: '登记检查', en: 'Record inspection' },
  CONCLUDE_INSPECTION: { zh: '出具检查结论', en: 'Conclude inspection' },
  SUBMIT_CORRECTION: { zh: '提交整改', en: 'Submit correction' },
  ACCEPT_CORRECTION: { zh: '整改通过', en: 'Accept correction' },
  REJECT_CORRECTION: { zh: '整改未通过', en: 'Reject correction' },
  EXTEND_DEADLINE: { zh: '延长期限', en: 'Extend deadline' },
  SUSPEND: { zh: '暂缓执行', en: 'Suspend' },
  RESUME: { zh: '恢复执行', en: 'Resume' },
  STOP: { zh: '停止执行', en: 'Stop' },
  CONFIRM_STOP: { zh: '确认停止执行', en: 'Confirm stop' },
  COMPLETE: { zh: '申请结项评价', en: 'Complete' },
  SUBMIT_EVALUATION: { zh: '提交绩效评价', en: 'Submit evaluation' },
  ACCEPT_EVALUATION: { zh: '审查通过', en: 'Accept evaluation' },
  REQUEST_REEVALUATION: { zh: '组织再评价', en: 'Order re-evaluation' },
  CLOSE: { zh: '结项', en: 'Close' },
  DELEGATE_TASK: { zh: '转交待办', en: 'Delegate task' },
  RECORD_RECOVERY: { zh: '追回资金', en: 'Recovery' },
  ATTACH_FILE: { zh: '上传材料', en: 'File attached' },
};

export const CHANNEL_NAMES: Record<string, Pair> = {
  api: { zh: '接口', en: 'API' },
  page: { zh: '网页', en: 'Web page' },
  web: { zh: '网页', en: 'Web page' },
  email: { zh: '邮件链接', en: 'Email link' },
  worker: { zh: '系统', en: 'System' },
  cli: { zh: '管理命令', en: 'Admin command' },
};

/** Task names as the emails and the email-link pages say them: one name per task (the message catalogues). */
export const TASK_KIND_NAMES: Record<string, Pair> = {
  ...Object.fromEntries(TASK_KINDS.map((kind) => [kind, { zh: zhCN.task[kind], en: enCatalogue.task[kind].charAt(0).toUpperCase() + enCatalogue.task[kind].slice(1) }])),
  'submit-correction': { zh: '提交整改', en: 'Submit correction' },
  revise: { zh: '修改申报', en: 'Revise proposal' },
};

export const LEVEL_NAMES: Record<string, Pair> = {
  产出: { zh: '产出指标', en: 'Output' },
  效益: { zh: '效益指标', en: 'Effect' },
  满意度: { zh: '满意度指标', en: 'Satisfaction' },
  预算执行: { zh: '预算执行', en: 'Budget execution' },
};

export const COMPARATOR_NAMES: Record<string, Pair> = {
  '>=': { zh: '≥', en: '≥' },
  '<=': { zh: '≤', en: '≤' },
  '=': { zh: '=', en: '=' },
  qualitative: { zh: '定性', en: 'Qualitative' },
};

export const REMINDER_STATUS_NAMES: Record<string, Pair> = {
  planned: { zh: '待发送', en: 'Planned' },
  sent: { zh: '已发送', en: 'Sent' },
  skipped: { zh: '无需发送', en: 'Skipped' },
  failed: { zh: '发送失败', en: 'Failed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

function pick(table: Record<string, Pair>, code: string | null | undefined, lang: Lang, fallback: string): string {
  if (!code) return '—';
  return table[code]?.[lang] ?? fallback;
}

export const stateName = (state: string | null | undefined, lang: Lang = 'zh') =>
  pick(STATE_NAMES, state, lang, lang === 'zh' ? '其他状态' : 'Other state');
export const eventName = (type: string | null | undefined, lang: Lang = 'zh') =>
  pick(EVENT_NAMES, type, lang, lang === 'zh' ? '其他操作' : 'Other action');
export const channelName = (channel: string | null | undefined, lang: Lang = 'zh') =>
  pick(CHANNEL_NAMES, channel, lang, lang === 'zh' ? '其他渠道' : 'Other channel');
export const taskKindName = (kind: string | null | undefined, lang: Lang = 'zh') =>
  pick(TASK_KIND_NAMES, kind, lang, lang === 'zh' ? '其他待办' : 'Other task');
export const reminderStatusName = (status: string | null | undefined, lang: Lang = 'zh') =>
  pick(REMINDER_STATUS_NAMES, status, lang, status ?? '—');

export function roleName(role: string | null | undefined, lang: Lang = 'zh'): string {
  if (!role) return '—';
  const names = ROLE_NAMES[role as Role];
  return names ? names[lang] : lang === 'zh' ? '其他角色' : 'Other role';
}

export function itemName(id: number, lang: Lang = 'zh'): string {
  const item = ITEMS.find((candidate) => candidate.id === id);
  if (!item) return lang === 'zh' ? `第 ${id} 项` : `Item ${id}`;
  return `${id}. ${lang === 'zh' ? item.nameZh : item.nameEn}`;
}

/** The 13 items grouped under their 4 categories, for pickers. */
export function itemGroups(lang: Lang = 'zh') {
  return CATEGORIES.map((category) => ({
    label: `${category.numeral}、${lang === 'zh' ? category.nameZh : category.nameEn}`,
    options: ITEMS.filter((item) => item.category === category.id).map((item) => ({ value: item.id, label: itemName(item.id, lang) })),
  }));
}
