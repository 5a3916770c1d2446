import { findItem } from '../../config/plan.ts';
import { escapeHtml } from '../domain/escape-html.ts';
import { quoteApplicantText } from '../domain/applicant-text.ts';
import { formatYuan } from '../domain/money.ts';
import { projectPageLink } from '../domain/page-links.ts';
import { isTaskKind, type NoticeTemplate } from '../domain/vocabulary.ts';
import { labelOf } from '../i18n/messages.ts';

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
  amountFen: number;
  dueDate: string;
  link: string;
  canDecideByLink: boolean;
}

/** The email that asks a person to act: project code, name, item, applicant, amount in 元, decision, due date, link. */
export function renderTaskMail(input: TaskMailInput): { subject: string; text: string; html: string } {
  const name = taskName(input.kind);
  const item = findItem(input.item);
  const zh = input.locale === 'zh-CN';
  const subject = zh
    ? `【待办】${input.projectCode} ${name.zh}（请于 ${input.dueDate} 前处理）`
    : `[Action needed] ${input.projectCode}: ${name.en} (due ${input.dueDate})`;
  const rows: [string, string][] = zh
    ? [
        ['项目编号', input.projectCode],
        ['项目名称', quoteApplicantText(input.projectTitle, 'zh-CN')],
        ['支持事项', `${input.item}. ${item?.nameZh ?? ''}`],
        ['项目单位', input.applicant],
        ['申请金额', `${formatYuan(input.amountFen)} 元`],
        ['待办事项', name.zh],
        ['办理期限', `${input.dueDate}（北京时间）`],
      ]
    : [
        ['Project', input.projectCode],
        ['Title', quoteApplicantText(input.projectTitle, 'en')],
        ['Item', `${input.item}. ${item?.nameEn ?? ''}`],
        ['Applicant', input.applicant],
        ['Amount', `${formatYuan(input.amountFen)} 元`],
        ['Decision asked', name.en],
        ['Due', `${input.dueDate} (Asia/Shanghai)`],
      ];
  const action = zh
    ? input.canDecideByLink
      ? '点击下面的链接查看项目并作出决定（链接仅限您本人使用一次）：'
      : '点击下面的链接查看项目，并在系统中办理：'
    : input.canDecideByLink
      ? 'Open the link below to see the project and decide (the link is for you alone, and works once):'
      : 'Open the link below to see the project, then act in the system:';
  const greeting = zh ? `${input.recipientName}，您好：` : `Dear ${input.recipientName},`;
  const text = [greeting, ...rows.map(([k, v]) => `${k}：${v}`), action, input.link].join('\n');
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body><p>${escapeHtml(greeting)}</p><table>${rows
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table><p>${escapeHtml(action)}</p><p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p></body></html>`;
  return { subject, text, html };
}

/** A notice that keeps the SME Center, the Finance Bureau and the applicant in step (联动沟通机制). */
export function renderNoticeMail(input: { locale: 'zh-CN' | 'en'; recipientName: string; template: NoticeTemplate; projectCode: string; projectTitle: string; reason: string | null; link: string }) {
  // Typed by the vocabulary: a template without a label is a type error, never the key itself in an email.
  const notice = labelOf('notice', input.template);
  const zh = input.locale === 'zh-CN';
  const subject = zh ? `【通知】${input.projectCode} ${notice.zh}` : `[Notice] ${input.projectCode}: ${notice.en}`;
  const lines = [
    zh ? `${input.recipientName}，您好：` : `Dear ${input.recipientName},`,
    zh ? `项目 ${input.projectCode}（${quoteApplicantText(input.projectTitle, 'zh-CN')}）：${notice.zh}。` : `Project ${input.projectCode} (${quoteApplicantText(input.projectTitle, 'en')}): ${notice.en}.`,
    ...(input.reason ? [zh ? `说明：${input.reason}` : `Note: ${input.reason}`] : []),
    projectPageLink(input.link, input.projectCode),
  ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line, i) => (i === lines.length - 1 ? `<p><a href="${escapeHtml(line)}">${escapeHtml(line)}</a></p>` : `<p>${escapeHtml(line)}</p>`))
    .join('')}</body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
