import { findItem } from '../../../config/plan.ts';
import { LINK_DECISIONS } from '../../../config/task-rules.ts';
import type { Indicator } from '../../../machines/project.schemas.ts';
import { escapeHtml } from '../../domain/escape-html.ts';
import { formatYuan } from '../../domain/money.ts';
import { basisRows, taskName } from '../../mail/task.template.ts';
import { DECISION_BODIES } from '../../../config/item-rules.ts';
import type { TaskPageCatalogue } from '../../i18n/catalogue.ts';
import { en } from '../../i18n/en.ts';
import { labelOf } from '../../i18n/messages.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { stateEn, stateZh } from '../../reports/labels.ts';
import type { TaskPageModel } from '../../usecases/tasks/load-task-page.ts';
import type { LinkGone } from '../../usecases/tasks/task-link-state.ts';
import { beijingTime, channelLabel, eventLabel } from './audit-labels.ts';

const esc = escapeHtml;

/** The page's sentences in the reader's language, from the message catalogues (section `taskPage`). */
const wordsOf = (zh: boolean): TaskPageCatalogue => (zh ? zhCN.taskPage : en.taskPage);
const both = (pick: (words: TaskPageCatalogue) => string) => ({ zh: pick(zhCN.taskPage), en: pick(en.taskPage) });

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
  approve: both((w) => w.decisionApprove),
  reject: both((w) => w.decisionReject),
  return: both((w) => w.decisionReturn),
} as const;

/** The buttons WORDING.md asks for where a kind of task decides something other than a review. */
const DECISION_LABELS_BY_KIND: Record<string, Partial<Record<keyof typeof DECISION_LABELS, { zh: string; en: string }>>> = {
  'review-evaluation': { approve: both((w) => w.acceptEvaluation), reject: both((w) => w.orderReevaluation) },
  'decide-amendment': { approve: both((w) => w.approveAmendment), reject: both((w) => w.rejectAmendment) },
  'confirm-stop': { approve: both((w) => w.confirmStop) },
};

const decisionLabel = (kind: string, decision: keyof typeof DECISION_LABELS) => DECISION_LABELS_BY_KIND[kind]?.[decision] ?? DECISION_LABELS[decision];

/** For a review of an evaluation: the score table, the grade and the six sections of the report. */
function renderEvaluation(evaluation: NonNullable<TaskPageModel['evaluation']>, zh: boolean): string {
  const w = wordsOf(zh);
  const rows = evaluation.scoreTable.rows
    .map((row) => `<tr><td>${esc(row.level)} / ${esc(row.subLevel)}</td><td>${esc(row.name)}</td><td>${esc(row.target)}</td><td>${esc(row.actual ?? '')}</td><td>${esc(row.weight)}</td><td>${esc(row.score)}</td></tr>`)
    .join('');
  const sections = Object.entries(evaluation.sections)
    .map(([heading, text]) => `<h3>${esc(heading)}</h3>${text.split(/\n+/).filter(Boolean).map((p) => `<p>${esc(p)}</p>`).join('') || `<p>—</p>`}`)
    .join('');
  return `<h2>${esc(w.evaluationScores)}</h2>
<table><tr><th>${esc(w.colLevel)}</th><th>${esc(w.colIndicator)}</th><th>${esc(w.colTarget)}</th><th>${esc(w.colAchieved)}</th><th>${esc(w.colWeight)}</th><th>${esc(w.colScore)}</th></tr>${rows}
<tr><th colspan="4">${esc(w.total)}</th><th>${esc(evaluation.scoreTable.totalWeight)}</th><th>${esc(evaluation.scoreTable.total)}</th></tr></table>
<p><strong>${esc(w.totalScoreLabel)}</strong>${esc(w.scoreAndGrade(evaluation.evaluation.totalScore.toFixed(2), evaluation.evaluation.grade))}</p>
<h2>${esc(w.evaluationReport)}</h2>${sections}`;
}

/** Item 11: the board and the listing announcement. */
function listingRows(listing: TaskPageModel['project']['listing'], zh: boolean): [string, string][] {
  if (!listing) return [];
  const board = labelOf('listingBoard', listing.board);
  const w = wordsOf(zh);
  return [
    [w.listingBoard, zh ? board.zh : board.en],
    [w.listingAnnouncement, [listing.announcementRef, listing.announcementDate].filter(Boolean).join(w.listSeparator) || w.notGiven],
  ];
}

/** 预算明细 as the applicant entered it, with the training figures the caps are checked on. */
function renderBudgetLines(lines: TaskPageModel['project']['budgetLines'], zh: boolean): string {
  if (lines.length === 0) return '';
  const w = wordsOf(zh);
  const figures = (line: (typeof lines)[number]) =>
    [
      line.persons !== undefined ? w.persons(line.persons) : '',
      line.days !== undefined ? w.days(line.days) : '',
      line.sessions !== undefined ? w.sessions(line.sessions) : '',
    ]
      .filter(Boolean)
      .join(' × ');
  const rows = lines
    .map((line) => {
      const category = labelOf('budgetCategory', line.category);
      return `<tr><td>${esc(zh ? category.zh : category.en)}</td><td>${esc(line.description)}</td><td>${esc(figures(line))}</td><td>${esc(w.amount(formatYuan(line.amountFen)))}</td></tr>`;
    })
    .join('');
  return `<h2>${esc(w.budgetLines)}</h2><table><tr><th>${esc(w.colCategory)}</th><th>${esc(w.colPurpose)}</th><th>${esc(w.colFigures)}</th><th>${esc(w.colAmount)}</th></tr>${rows}</table>`;
}

/** Item 13's last step: the 会议纪要 of the county government or the leadership group. */
function decisionFields(zh: boolean): string {
  const options = DECISION_BODIES.map((body) => `<option value="${body}">${esc(zh ? labelOf('decisionBody', body).zh : labelOf('decisionBody', body).en)}</option>`).join('');
  const w = wordsOf(zh);
  return `<p>${esc(w.decisionNeeded)}</p>
<label>${esc(w.decidedBy)} <select name="decisionBody">${options}</select></label>
<label>${esc(w.minutesNumber)} <input name="decisionNumber" maxlength="100"></label>
<label>${esc(w.meetingDate)} <input name="decisionDate" type="date"></label>`;
}

/** GET /t/<token>: the project, its targets, amounts and history, and the decision form. Shows, never acts. */
export function renderTaskPage(data: TaskPageData): string {
  const zh = data.locale === 'zh-CN';
  const w = wordsOf(zh);
  const name = taskName(data.task.kind);
  const item = findItem(data.project.item);
  const decisions = Object.keys(LINK_DECISIONS[data.task.kind] ?? {}) as (keyof typeof DECISION_LABELS)[];
  const summary: [string, string][] = [
    [w.rowCode, data.project.code],
    [w.rowTitle, data.project.title],
    [w.rowItem, w.itemValue(data.project.item, `${zh ? item?.nameZh : item?.nameEn}`)],
    [w.rowApplicant, data.project.applicant],
    [w.rowRequested, w.amount(formatYuan(data.project.requestedFen))],
    ...basisRows(data.basis, zh),
    ...listingRows(data.project.listing, zh),
    [w.rowPeriod, w.period(data.project.periodStart, data.project.periodEnd)],
    [w.rowState, zh ? stateZh(data.project.state) : stateEn(data.project.state)],
    [w.rowDue, w.due(data.task.dueDate)],
  ];
  const targets = data.project.targets
    .map((t) => `<tr><td>${esc(t.level)} / ${esc(t.subLevel)}</td><td>${esc(t.name)}</td><td>${esc(t.comparator === 'qualitative' ? w.qualitative : `${t.comparator} ${t.targetValue ?? ''} ${t.unit}`)}</td><td>${esc(t.weight)}</td></tr>`)
    .join('');
  const history = data.history
    .map((h) => `<tr><td>${esc(beijingTime(h.at, zh))}</td><td>${esc(eventLabel(h.type, zh))}</td><td>${esc(h.actor ?? '')}</td><td>${esc(channelLabel(h.channel, zh))}</td><td>${esc(h.reason ?? '')}</td></tr>`)
    .join('');
  const form = decisions.length
    ? `<form method="post"><fieldset><legend>${esc(w.yourDecision)}</legend>
${decisions.map((d, i) => `<label><input type="radio" name="decision" value="${d}"${i === 0 ? ' checked' : ''}> ${esc(zh ? decisionLabel(data.task.kind, d).zh : decisionLabel(data.task.kind, d).en)}</label>`).join('')}
${data.asksDecisionReference ? decisionFields(zh) : ''}
<label>${esc(w.comment)}<textarea name="comment" maxlength="4000"></textarea></label>
<input type="hidden" name="nonce" value="${esc(data.nonce)}"><button type="submit">${esc(w.submit)}</button></fieldset></form>`
    : `<p>${esc(w.actInSystem)}</p>`;
  const body = `<h1>${esc(w.heading(zh ? name.zh : name.en))}</h1>
<p>${esc(w.greeting(data.recipientName))}</p>
${data.error ? `<p class="notice" role="alert">${esc(data.error)}</p>` : ''}
<table>${summary.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>${esc(w.targets)}</h2><table><tr><th>${esc(w.colLevel)}</th><th>${esc(w.colIndicator)}</th><th>${esc(w.colTarget)}</th><th>${esc(w.colWeight)}</th></tr>${targets}</table>
${renderBudgetLines(data.project.budgetLines, zh)}
${data.evaluation ? renderEvaluation(data.evaluation, zh) : ''}
<h2>${esc(w.history)}</h2><table><tr><th>${esc(w.colWhen)}</th><th>${esc(w.colEvent)}</th><th>${esc(w.colBy)}</th><th>${esc(w.colChannel)}</th><th>${esc(w.colComment)}</th></tr>${history}</table>
${form}`;
  return page(data.locale, `${data.project.code} ${zh ? name.zh : name.en}`, body);
}

/** What happened to a link that cannot act any more: when (Beijing time), by whom, why. */
export function goneText(gone: LinkGone): { zh: string; en: string } {
  const zhAt = (at: Date | null) => (at ? beijingTime(at, true) : '');
  const enAt = (at: Date | null) => (at ? beijingTime(at, false) : '');
  const [zw, ew] = [zhCN.taskPage, en.taskPage];
  switch (gone.kind) {
    case 'invalid':
      return { zh: zw.linkInvalid, en: ew.linkInvalid };
    case 'used':
      return { zh: zw.linkUsed(zhAt(gone.at), gone.by), en: ew.linkUsed(enAt(gone.at), gone.by) };
    case 'closed': {
      const what = gone.event ? eventLabel(gone.event, true) : zw.projectMovedOn;
      const whatEn = gone.event ? eventLabel(gone.event, false) : ew.projectMovedOn;
      return { zh: zw.linkClosed(zhAt(gone.at), what, gone.by), en: ew.linkClosed(enAt(gone.at), whatEn, gone.by) };
    }
    case 'revoked':
      return { zh: zw.linkRevoked(zhAt(gone.at), gone.reason ? zw.revokedReason(gone.reason) : ''), en: ew.linkRevoked(enAt(gone.at), gone.reason ? ew.revokedReason(gone.reason) : '') };
    case 'expired':
      return { zh: zw.linkExpired(zhAt(gone.at)), en: ew.linkExpired(enAt(gone.at)) };
    case 'inactive':
      return { zh: zw.recipientInactive, en: ew.recipientInactive };
    case 'just-used':
      return { zh: zw.justUsed, en: ew.justUsed };
  }
}

export function renderGonePage(locale: 'zh-CN' | 'en', gone: LinkGone): string {
  const zh = locale === 'zh-CN';
  const w = wordsOf(zh);
  const what = goneText(gone);
  return page(locale, w.goneTitle, `<h1>${esc(w.goneHeading)}</h1><p class="notice">${esc(zh ? what.zh : what.en)}</p><p>${esc(w.nothingChanged)}</p>`);
}

export function renderDonePage(locale: 'zh-CN' | 'en', what: { code: string; event: string; state: string }): string {
  const zh = locale === 'zh-CN';
  const w = wordsOf(zh);
  return page(locale, w.doneTitle, `<h1>${esc(w.doneTitle)}</h1><p>${esc(zh ? w.done(what.code, eventLabel(what.event, true), stateZh(what.state)) : w.done(what.code, eventLabel(what.event, false), stateEn(what.state)))}</p>`);
}

/** What a refusal by the engine means, in the reader's words, before the rule's own text. */
const REFUSAL_LEAD: Record<string, { zh: string; en: string }> = {
  forbidden: both((w) => w.refusalForbidden),
  'event-not-allowed': both((w) => w.refusalNotAllowed),
  'guard-refused': both((w) => w.refusalGuard),
  'version-conflict': both((w) => w.refusalConflict),
};

export function refusalText(code: string, message: string): { zh: string; en: string } {
  const lead = REFUSAL_LEAD[code] ?? both((w) => w.refusalOther);
  return { zh: zhCN.taskPage.refusal(lead.zh, message), en: en.taskPage.refusal(lead.en, message) };
}

export function renderProblemPage(locale: 'zh-CN' | 'en', message: { zh: string; en: string }): string {
  const zh = locale === 'zh-CN';
  const w = wordsOf(zh);
  return page(locale, w.problemTitle, `<h1>${esc(w.problemTitle)}</h1><p class="notice">${esc(zh ? message.zh : message.en)}</p>`);
}
