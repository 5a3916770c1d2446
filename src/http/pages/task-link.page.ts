import { findItem } from '../../../config/plan.ts';
import { LINK_DECISIONS } from '../../../config/task-rules.ts';
import type { Indicator } from '../../../machines/project.schemas.ts';
import { escapeHtml } from '../../domain/escape-html.ts';
import { formatYuan } from '../../domain/money.ts';
import { basisRows, taskName } from '../../mail/task.template.ts';
import { DECISION_BODIES } from '../../../config/item-rules.ts';
import { labelOf } from '../../i18n/messages.ts';
import { stateZh } from '../../reports/labels.ts';
import type { TaskPageModel } from '../../usecases/tasks/load-task-page.ts';
import type { LinkGone } from '../../usecases/tasks/task-link-state.ts';
import { beijingTime, channelLabel, eventLabel } from './audit-labels.ts';

const esc = escapeHtml;

const STYLE = `body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}fieldset{border:1px solid #999;padding:1rem}label{display:block;margin:.3rem 0}textarea{width:100%;min-height:5rem}
button{font-size:1rem;padding:.5rem 1.5rem;margin-top:.5rem}.notice{padding:1rem;border-left:4px solid #c00;background:#fff4f4}
@media print{form,button{display:none}}`;

function page(lang: 'zh-CN' | 'en', title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface TaskPageData extends TaskPageModel {
  nonce: string;
  error?: string;
}

const DECISION_LABELS = {
  approve: { zh: '同意', en: 'Approve' },
  reject: { zh: '驳回', en: 'Reject' },
  return: { zh: '退回修改', en: 'Return for revision' },
} as const;

/** The buttons WORDING.md asks for where a kind of task decides something other than a review. */
const DECISION_LABELS_BY_KIND: Record<string, Partial<Record<keyof typeof DECISION_LABELS, { zh: string; en: string }>>> = {
  'review-evaluation': { approve: { zh: '审查通过', en: 'Accept the evaluation' }, reject: { zh: '组织再评价', en: 'Order a re-evaluation' } },
  'decide-amendment': { approve: { zh: '同意变更', en: 'Approve the amendment' }, reject: { zh: '不同意变更', en: 'Reject the amendment' } },
  'confirm-stop': { approve: { zh: '确认停止执行', en: 'Confirm the stop' } },
};

const decisionLabel = (kind: string, decision: keyof typeof DECISION_LABELS) => DECISION_LABELS_BY_KIND[kind]?.[decision] ?? DECISION_LABELS[decision];

/** For a review of an evaluation: the score table, the grade and the six sections of the report. */
function renderEvaluation(evaluation: NonNullable<TaskPageModel['evaluation']>, zh: boolean): string {
  const rows = evaluation.scoreTable.rows
    .map((row) => `<tr><td>${esc(row.level)} / ${esc(row.subLevel)}</td><td>${esc(row.name)}</td><td>${esc(row.target)}</td><td>${esc(row.actual ?? '')}</td><td>${esc(row.weight)}</td><td>${esc(row.score)}</td></tr>`)
    .join('');
  const sections = Object.entries(evaluation.sections)
    .map(([heading, text]) => `<h3>${esc(heading)}</h3>${text.split(/\n+/).filter(Boolean).map((p) => `<p>${esc(p)}</p>`).join('') || `<p>—</p>`}`)
    .join('');
  return `<h2>${zh ? '绩效评价评分表' : 'Evaluation scores'}</h2>
<table><tr><th>${zh ? '指标层级' : 'Level'}</th><th>${zh ? '指标' : 'Indicator'}</th><th>${zh ? '目标值' : 'Target'}</th><th>${zh ? '完成值' : 'Achieved'}</th><th>${zh ? '权重' : 'Weight'}</th><th>${zh ? '得分' : 'Score'}</th></tr>${rows}
<tr><th colspan="4">${zh ? '合计' : 'Total'}</th><th>${esc(evaluation.scoreTable.totalWeight)}</th><th>${esc(evaluation.scoreTable.total)}</th></tr></table>
<p><strong>${zh ? '综合得分 / 评价等级' : 'Total score / grade'}：</strong>${esc(evaluation.evaluation.totalScore.toFixed(2))} ${zh ? '分' : 'points'} / ${esc(evaluation.evaluation.grade)}</p>
<h2>${zh ? '绩效评价报告' : 'Evaluation report'}</h2>${sections}`;
}

/** Item 11: the board and the listing announcement. */
function listingRows(listing: TaskPageModel['project']['listing'], zh: boolean): [string, string][] {
  if (!listing) return [];
  const board = labelOf('listingBoard', listing.board);
  return [
    [zh ? '上市挂牌板块' : 'Board', zh ? board.zh : board.en],
    [zh ? '上市挂牌公告' : 'Listing announcement', [listing.announcementRef, listing.announcementDate].filter(Boolean).join(zh ? '，' : ', ') || (zh ? '未填写' : 'not given')],
  ];
}

/** 预算明细 as the applicant entered it, with the training figures the caps are checked on. */
function renderBudgetLines(lines: TaskPageModel['project']['budgetLines'], zh: boolean): string {
  if (lines.length === 0) return '';
  const figures = (line: (typeof lines)[number]) =>
    [
      line.persons !== undefined ? (zh ? `${line.persons} 人` : `${line.persons} persons`) : '',
      line.days !== undefined ? (zh ? `${line.days} 天` : `${line.days} days`) : '',
      line.sessions !== undefined ? (zh ? `${line.sessions} 期` : `${line.sessions} sessions`) : '',
    ]
      .filter(Boolean)
      .join(' × ');
  const rows = lines
    .map((line) => {
      const category = labelOf('budgetCategory', line.category);
      return `<tr><td>${esc(zh ? category.zh : category.en)}</td><td>${esc(line.description)}</td><td>${esc(figures(line))}</td><td>${esc(`${formatYuan(line.amountFen)} 元`)}</td></tr>`;
    })
    .join('');
  return `<h2>${zh ? '预算明细' : 'Budget lines'}</h2><table><tr><th>${zh ? '开支类别' : 'Category'}</th><th>${zh ? '用途' : 'Purpose'}</th><th>${zh ? '人数、天数、期数' : 'Persons, days, sessions'}</th><th>${zh ? '金额' : 'Amount'}</th></tr>${rows}</table>`;
}

/** Item 13's last step: the 会议纪要 of the county government or the leadership group. */
function decisionFields(zh: boolean): string {
  const options = DECISION_BODIES.map((body) => `<option value="${body}">${esc(zh ? labelOf('decisionBody', body).zh : labelOf('decisionBody', body).en)}</option>`).join('');
  return `<p>${zh ? '本事项须有县政府或县创建领导组的决定，同意时请填写会议纪要：' : 'This item needs a decision of the county government or the leadership group; to approve, name its minutes:'}</p>
<label>${zh ? '决定机关' : 'Decided by'} <select name="decisionBody">${options}</select></label>
<label>${zh ? '会议纪要文号' : 'Minutes number'} <input name="decisionNumber" maxlength="100"></label>
<label>${zh ? '会议日期' : 'Meeting date'} <input name="decisionDate" type="date"></label>`;
}

/** GET /t/<token>: the project, its targets, amounts and history, and the decision form. Shows, never acts. */
export function renderTaskPage(data: TaskPageData): string {
  const zh = data.locale === 'zh-CN';
  const name = taskName(data.task.kind);
  const item = findItem(data.project.item);
  const decisions = Object.keys(LINK_DECISIONS[data.task.kind] ?? {}) as (keyof typeof DECISION_LABELS)[];
  const summary: [string, string][] = [
    [zh ? '项目编号' : 'Code', data.project.code],
    [zh ? '项目名称' : 'Title', data.project.title],
    [zh ? '支持事项' : 'Item', `${data.project.item}. ${zh ? item?.nameZh : item?.nameEn}`],
    [zh ? '项目单位' : 'Applicant', data.project.applicant],
    [zh ? '申请金额' : 'Requested', `${formatYuan(data.project.requestedFen)} 元`],
    ...basisRows(data.basis, zh),
    ...listingRows(data.project.listing, zh),
    [zh ? '实施期限' : 'Period', `${data.project.periodStart} – ${data.project.periodEnd}`],
    [zh ? '当前状态' : 'State', zh ? stateZh(data.project.state) : data.project.state],
    [zh ? '办理期限' : 'Due', zh ? `${data.task.dueDate}（北京时间）` : `${data.task.dueDate} (Beijing time)`],
  ];
  const targets = data.project.targets
    .map((t) => `<tr><td>${esc(t.level)} / ${esc(t.subLevel)}</td><td>${esc(t.name)}</td><td>${esc(t.comparator === 'qualitative' ? (zh ? '定性' : 'qualitative') : `${t.comparator} ${t.targetValue ?? ''} ${t.unit}`)}</td><td>${esc(t.weight)}</td></tr>`)
    .join('');
  const history = data.history
    .map((h) => `<tr><td>${esc(beijingTime(h.at, zh))}</td><td>${esc(eventLabel(h.type, zh))}</td><td>${esc(h.actor ?? '')}</td><td>${esc(channelLabel(h.channel, zh))}</td><td>${esc(h.reason ?? '')}</td></tr>`)
    .join('');
  const form = decisions.length
    ? `<form method="post"><fieldset><legend>${zh ? '您的决定' : 'Your decision'}</legend>
${decisions.map((d, i) => `<label><input type="radio" name="decision" value="${d}"${i === 0 ? ' checked' : ''}> ${zh ? decisionLabel(data.task.kind, d).zh : decisionLabel(data.task.kind, d).en}</label>`).join('')}
${data.asksDecisionReference ? decisionFields(zh) : ''}
<label>${zh ? '意见（驳回或退回时必填）' : 'Comment (required to reject or return)'}<textarea name="comment" maxlength="4000"></textarea></label>
<input type="hidden" name="nonce" value="${esc(data.nonce)}"><button type="submit">${zh ? '提交' : 'Submit'}</button></fieldset></form>`
    : `<p>${zh ? '此事项请登录系统办理。' : 'Please act on this in the system.'}</p>`;
  const body = `<h1>${esc(zh ? `待办：${name.zh}` : `Task: ${name.en}`)}</h1>
<p>${esc(zh ? `${data.recipientName}同志，您好：请查看并办理（该链接仅限本人使用，只能提交一次）。` : `Dear ${data.recipientName}: please review and decide (this link is for you alone and works once).`)}</p>
${data.error ? `<p class="notice" role="alert">${esc(data.error)}</p>` : ''}
<table>${summary.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>${zh ? '绩效目标' : 'Performance targets'}</h2><table><tr><th>${zh ? '指标层级' : 'Level'}</th><th>${zh ? '指标' : 'Indicator'}</th><th>${zh ? '目标值' : 'Target'}</th><th>${zh ? '权重' : 'Weight'}</th></tr>${targets}</table>
${renderBudgetLines(data.project.budgetLines, zh)}
${data.evaluation ? renderEvaluation(data.evaluation, zh) : ''}
<h2>${zh ? '办理记录' : 'History'}</h2><table><tr><th>${zh ? '时间' : 'When'}</th><th>${zh ? '事项' : 'Event'}</th><th>${zh ? '办理人' : 'By'}</th><th>${zh ? '渠道' : 'Channel'}</th><th>${zh ? '意见' : 'Comment'}</th></tr>${history}</table>
${form}`;
  return page(data.locale, `${data.project.code} ${zh ? name.zh : name.en}`, body);
}

/** What happened to a link that cannot act any more: when (Beijing time), by whom, why. */
export function goneText(gone: LinkGone): { zh: string; en: string } {
  const zhAt = (at: Date | null) => (at ? beijingTime(at, true) : '');
  const enAt = (at: Date | null) => (at ? beijingTime(at, false) : '');
  switch (gone.kind) {
    case 'invalid':
      return { zh: '链接无效。', en: 'This link is not valid.' };
    case 'used':
      return { zh: `此链接已于 ${zhAt(gone.at)} 由 ${gone.by} 使用。`, en: `This link was used on ${enAt(gone.at)} by ${gone.by}.` };
    case 'closed': {
      const what = gone.event ? eventLabel(gone.event, true) : '项目已变化';
      const whatEn = gone.event ? eventLabel(gone.event, false) : 'the project moved on';
      return { zh: `该事项已于 ${zhAt(gone.at)} 办结（${what}，办理人：${gone.by}）。`, en: `The task was closed on ${enAt(gone.at)} (${whatEn}, by ${gone.by}).` };
    }
    case 'revoked':
      return { zh: `此链接已于 ${zhAt(gone.at)} 作废：${revokedZh(gone.reason)}`, en: `This link was revoked on ${enAt(gone.at)}: ${gone.reason ?? ''}` };
    case 'expired':
      return { zh: `此链接已于 ${zhAt(gone.at)} 过期。`, en: `This link expired on ${enAt(gone.at)}.` };
    case 'inactive':
      return { zh: '此链接的收件人已停用。', en: 'The recipient of this link is no longer active.' };
    case 'just-used':
      return { zh: '此链接刚刚已被使用。', en: 'This link was just used.' };
  }
}

const REVOKED_ZH: Record<string, string> = {
  'another recipient completed the task': '其他收件人已办理该事项。',
  'the task was delegated': '该事项已转交他人办理。',
  'the task was completed or the project moved on': '该事项已办结或项目已变化。',
  'replaced by a newer link': '已发送新的链接。',
  'user-deactivated': '收件人的账号已停用。',
};
const revokedZh = (reason: string | null) => (reason ? (REVOKED_ZH[reason] ?? reason) : '');

export function renderGonePage(locale: 'zh-CN' | 'en', gone: LinkGone): string {
  const zh = locale === 'zh-CN';
  const what = goneText(gone);
  return page(locale, zh ? '链接已失效' : 'Link no longer valid', `<h1>${zh ? '链接已失效' : 'This link no longer works'}</h1><p class="notice">${esc(zh ? what.zh : what.en)}</p><p>${zh ? '没有做任何更改。' : 'Nothing was changed.'}</p>`);
}

export function renderDonePage(locale: 'zh-CN' | 'en', what: { code: string; event: string; state: string }): string {
  const zh = locale === 'zh-CN';
  return page(locale, zh ? '已提交' : 'Done', `<h1>${zh ? '已提交' : 'Done'}</h1><p>${esc(zh ? `项目 ${what.code}：已记录您的决定（${eventLabel(what.event, true)}），当前状态：${stateZh(what.state)}。` : `Project ${what.code}: your decision (${eventLabel(what.event, false)}) is recorded; the project is now ${what.state}.`)}</p>`);
}

/** What a refusal by the engine means, in the reader's words, before the rule's own text. */
const REFUSAL_LEAD: Record<string, { zh: string; en: string }> = {
  forbidden: { zh: '此事项当前不由您办理（项目可能已进入其他环节）', en: 'This is not yours to decide now (the project may have moved to another step)' },
  'event-not-allowed': { zh: '项目当前状态不允许此操作', en: 'The project is not in a state that allows this' },
  'guard-refused': { zh: '不符合办理条件', en: 'A rule refused this' },
  'version-conflict': { zh: '项目已被他人更新，请刷新后重试', en: 'Someone else changed the project; reload and try again' },
};

export function refusalText(code: string, message: string): { zh: string; en: string } {
  const lead = REFUSAL_LEAD[code] ?? { zh: '未能提交', en: 'Not submitted' };
  return { zh: `${lead.zh}。（${message}）没有做任何更改，链接仍可使用。`, en: `${lead.en}. (${message}) Nothing was changed; the link still works.` };
}

export function renderProblemPage(locale: 'zh-CN' | 'en', message: { zh: string; en: string }): string {
  const zh = locale === 'zh-CN';
  return page(locale, zh ? '无法提交' : 'Not submitted', `<h1>${zh ? '无法提交' : 'Not submitted'}</h1><p class="notice">${esc(zh ? message.zh : message.en)}</p>`);
}
