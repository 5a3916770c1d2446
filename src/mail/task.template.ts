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
import { greeting, halfOf, sender, SUBJECT_PREFIX_EN, SUBJECT_PREFIX_ZH } from './letter.ts';

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
  if (basis.payment) {
    rows.push(
      [word('approved', zh), `${formatYuan(basis.payment.approvedFen)} 元`],
      [word('paid', zh), `${formatYuan(basis.payment.paidFen)} 元`],
      [word('left', zh), `${formatYuan(basis.payment.leftFen)} 元`],
    );
  }
  if (basis.overlap?.kind === 'checked') {
    const outcome = outcomeOf(basis.overlap.outcome);
    rows.push([word('overlap', zh), `${zh ? outcome.zh : outcome.en}${basis.overlap.outcome === 'no-overlap' ? '' : `：${halfOf(basis.overlap.reason, zh)}`}`]);
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
  const subject = zh
    ? `${SUBJECT_PREFIX_ZH}待办：${input.projectCode} ${name.zh}（请于 ${input.dueDate} 前办理）`
    : `${SUBJECT_PREFIX_EN}Action needed: ${input.projectCode} ${name.en} (due ${input.dueDate})`;
  const amountRows: [string, string][] = input.basis?.payment ? [] : [[word('requested', zh), `${formatYuan(input.amountFen)} 元`]];
  const rows: [string, string][] = zh
    ? [
        ['项目编号', input.projectCode],
        ['项目名称', quoteApplicantText(input.projectTitle, 'zh-CN')],
        ['支持事项', `第 ${input.item} 项 ${item?.nameZh ?? ''}`],
        ['项目单位', input.applicant],
        ...amountRows,
        ...basisRows(input.basis, true),
        ['待办事项', name.zh],
        ['办理期限', `${input.dueDate}（北京时间）`],
      ]
    : [
        ['Project', input.projectCode],
        ['Title', quoteApplicantText(input.projectTitle, 'en')],
        ['Item', `${input.item}. ${item?.nameEn ?? ''}`],
        ['Applicant', input.applicant],
        ...amountRows,
        ...basisRows(input.basis, false),
        ['Decision asked', name.en],
        ['Due', `${input.dueDate} (Beijing time)`],
      ];
  const ask = zh
    ? `项目 ${input.projectCode} 待您办理“${name.zh}”，请于 ${input.dueDate}（北京时间）前办理。`
    : `Project ${input.projectCode} waits for you: ${name.en}, by ${input.dueDate} (Beijing time).`;
  const action = zh
    ? input.canDecideByLink
      ? '请点击下方链接查看并办理（该链接仅限本人使用，只能提交一次）：'
      : '请点击下方链接查看项目，并登录系统办理：'
    : input.canDecideByLink
      ? 'Open the link below to see the project and decide (the link is for you alone, and works once):'
      : 'Open the link below to see the project, then act in the system:';
  const hello = greeting(zh, input.recipientName);
  const from = sender(zh);
  const text = [hello, ask, ...rows.map(([k, v]) => `${k}：${v}`), action, input.link, from].join('\n');
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
  const subject = zh ? `${SUBJECT_PREFIX_ZH}通知：${input.projectCode} ${notice.zh}` : `${SUBJECT_PREFIX_EN}Notice: ${input.projectCode} ${notice.en}`;
  const link = projectPageLink(input.link, input.projectCode);
  const lines = [
    greeting(zh, input.recipientName),
    zh ? `项目 ${input.projectCode}（${quoteApplicantText(input.projectTitle, 'zh-CN')}）：${notice.zh}。` : `Project ${input.projectCode} (${quoteApplicantText(input.projectTitle, 'en')}): ${notice.en}.`,
    ...(input.reason ? [zh ? `说明：${input.reason}` : `Note: ${input.reason}`] : []),
    zh ? '请点击下方链接查看项目：' : 'The project:',
    link,
    sender(zh),
  ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line) => (line === link ? `<p><a href="${escapeHtml(line)}">${escapeHtml(line)}</a></p>` : `<p>${escapeHtml(line)}</p>`))
    .join('')}</body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
