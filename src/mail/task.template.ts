import { findItem } from '../../config/plan.ts';
import { escapeHtml } from '../domain/escape-html.ts';
import { quoteApplicantText } from '../domain/applicant-text.ts';
import { formatYuan } from '../domain/money.ts';
import { projectPageLink } from '../domain/page-links.ts';
import { isTaskKind, type NoticeTemplate } from '../domain/vocabulary.ts';
import { labelOf } from '../i18n/messages.ts';
import { OVERLAP_OUTCOMES, type OverlapOutcome } from '../domain/overlap.ts';
import type { BasisLabel } from '../domain/review-basis.ts';
import type { ReviewBasis } from '../usecases/tasks/review-basis.ts';
import { halfOf, mailWords } from './letter.ts';

/** A task kind's name in both languages, from the message catalogues; an unknown kind (not from this machine) is shown as stored. */
export const taskName = (kind: string) => (isTaskKind(kind) ? labelOf('task', kind) : { zh: kind, en: kind });



export interface TaskMailInput {
  locale: 'zh-CN' | 'en';
  recipientName: string;
  kind: string;
  projectCode: string;
  projectTitle: string;
  item: number;
  applicant: string;
  /** The amount applied for (申请金额); a disbursement task shows the payment basis instead. */
  amountFen: number;
  dueDate: string;
  link: string;
  canDecideByLink: boolean;
  /** What the person deciding should see besides the project (flags, overlaps, payment basis). */
  basis?: ReviewBasis | null;
}

const word = (label: BasisLabel, zh: boolean) => labelOf('basisLabel', label)[zh ? 'zh' : 'en'];
const outcomeOf = (outcome: string) =>
  (OVERLAP_OUTCOMES as readonly string[]).includes(outcome) ? labelOf('overlapOutcome', outcome as OverlapOutcome) : { zh: outcome, en: outcome };

/** The rows a task shows besides the project: the payment basis, the 就高不重复 result, the flags. */
export function basisRows(basis: ReviewBasis | null | undefined, zh: boolean): [string, string][] {
  if (!basis) return [];
  const rows: [string, string][] = [];
  const words = mailWords(zh);
  if (basis.payment) {
    rows.push(
      [word('approved', zh), words.amount(formatYuan(basis.payment.approvedFen))],
      [word('paid', zh), words.amount(formatYuan(basis.payment.paidFen))],
      [word('left', zh), words.amount(formatYuan(basis.payment.leftFen))],
    );
  }
  if (basis.overlap?.kind === 'checked') {
    const outcome = outcomeOf(basis.overlap.outcome)[zh ? 'zh' : 'en'];
    rows.push([word('overlap', zh), basis.overlap.outcome === 'no-overlap' ? outcome : words.explained(outcome, halfOf(basis.overlap.reason, zh))]);
    for (const match of basis.overlap.matches) rows.push([word('overlap-match', zh), halfOf(match, zh)]);
  } else if (basis.overlap?.kind === 'not-checked') {
    rows.push([word('overlap', zh), halfOf(basis.overlap.reason, zh)]);
  }
  for (const flag of basis.flags) rows.push([word('for-reviewer', zh), zh ? flag.zh : flag.en]);
  return rows;
}

/** The email that asks a person to act: what is asked and by when, the project, the basis, the link; greeting and sender. */
export function renderTaskMail(input: TaskMailInput): { subject: string; text: string; html: string } {
  const name = taskName(input.kind);
  const item = findItem(input.item);
  const zh = input.locale === 'zh-CN';
  const words = mailWords(zh);
  const task = zh ? name.zh : name.en;
  const subject = words.taskSubject(input.projectCode, task, input.dueDate);
  const amountRows: [string, string][] = input.basis?.payment ? [] : [[word('requested', zh), words.amount(formatYuan(input.amountFen))]];
  const rows: [string, string][] = [
    [words.taskRowCode, input.projectCode],
    [words.taskRowTitle, quoteApplicantText(input.projectTitle, input.locale)],
    [words.taskRowItem, words.taskItem(input.item, (zh ? item?.nameZh : item?.nameEn) ?? '')],
    [words.taskRowApplicant, input.applicant],
    ...amountRows,
    ...basisRows(input.basis, zh),
    [words.taskRowTask, task],
    [words.taskRowDue, words.taskDue(input.dueDate)],
  ];
  const ask = words.taskAsk(input.projectCode, task, input.dueDate);
  const action = input.canDecideByLink ? words.taskActByLink : words.taskActInSystem;
  const hello = words.greeting(input.recipientName);
  const from = words.sender;
  const text = [hello, ask, ...rows.map(([k, v]) => words.row(k, v)), action, input.link, from].join('\n');
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body><p>${escapeHtml(hello)}</p><p>${escapeHtml(ask)}</p><table>${rows
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table><p>${escapeHtml(action)}</p><p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p><p>${escapeHtml(from)}</p></body></html>`;
  return { subject, text, html };
}

/** A notice that keeps the SME Center, the Finance Bureau and the applicant in step (联动沟通机制). */
export function renderNoticeMail(input: { locale: 'zh-CN' | 'en'; recipientName: string; template: NoticeTemplate; projectCode: string; projectTitle: string; reason: string | null; link: string }) {
  // Typed by the vocabulary: a template without a label is a type error, never the key itself in an email.
  const notice = labelOf('notice', input.template);
  const zh = input.locale === 'zh-CN';
  const words = mailWords(zh);
  const subject = words.noticeSubject(input.projectCode, zh ? notice.zh : notice.en);
  const link = projectPageLink(input.link, input.projectCode);
  const lines = [
    words.greeting(input.recipientName),
    words.noticeBody(input.projectCode, quoteApplicantText(input.projectTitle, input.locale), zh ? notice.zh : notice.en),
    ...(input.reason ? [words.noticeNote(input.reason)] : []),
    words.noticeProject,
    link,
    words.sender,
  ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line) => (line === link ? `<p><a href="${escapeHtml(line)}">${escapeHtml(line)}</a></p>` : `<p>${escapeHtml(line)}</p>`))
    .join('')}</body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
