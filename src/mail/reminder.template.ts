import { findItem } from '../../config/plan.ts';
import { quoteApplicantText } from '../domain/applicant-text.ts';
import { escapeHtml } from '../domain/escape-html.ts';
import { projectPageLink } from '../domain/page-links.ts';
import { deadlineName } from '../i18n/messages.ts';
import { greeting, sender, SUBJECT_PREFIX_EN, SUBJECT_PREFIX_ZH } from './letter.ts';

export interface ReminderMailInput {
  locale: 'zh-CN' | 'en';
  recipientName: string;
  projectCode: string;
  projectTitle: string;
  item: number;
  deadline: string;
  dueDate: string;
  offsetDays: number;
  escalated: boolean;
  link: string;
}

/** A reminder or escalation, Chinese by default and English by the user's preference; HTML and plain text. */
export function renderReminderMail(input: ReminderMailInput): { subject: string; text: string; html: string } {
  const name = deadlineName(input.deadline);
  const link = projectPageLink(input.link, input.projectCode);
  const item = findItem(input.item);
  const zh = input.locale === 'zh-CN';
  const when =
    input.offsetDays < 0
      ? zh ? `将于 ${-input.offsetDays} 天后到期` : `due in ${-input.offsetDays} day(s)`
      : input.offsetDays === 0
        ? zh ? '今天到期' : 'due today'
        : zh ? `已逾期 ${input.offsetDays} 天` : `overdue by ${input.offsetDays} day(s)`;
  const tag = zh ? `${SUBJECT_PREFIX_ZH}${input.escalated ? '督办' : '提醒'}：` : `${SUBJECT_PREFIX_EN}${input.escalated ? 'Escalation' : 'Reminder'}: `;
  const subject = zh
    ? `${tag}${input.projectCode} ${name.zh}${when}（${input.dueDate}）`
    : `${tag}${input.projectCode} ${name.en} ${when} (${input.dueDate})`;
  const lines = zh
    ? [
        greeting(true, input.recipientName),
        `项目 ${input.projectCode}（${quoteApplicantText(input.projectTitle, 'zh-CN')}）（支持事项：${item?.nameZh ?? input.item}）的${name.zh}期限为 ${input.dueDate}（北京时间），${when}。`,
        input.escalated ? '该事项已逾期，现提请督办。' : '请按期办理。',
        `查看项目：${link}`,
        sender(true),
      ]
    : [
        greeting(false, input.recipientName),
        `The ${name.en} of project ${input.projectCode} (${quoteApplicantText(input.projectTitle, 'en')}) (item: ${item?.nameEn ?? input.item}) is due on ${input.dueDate} (Beijing time): ${when}.`,
        input.escalated ? 'It is overdue and has been escalated to you.' : 'Please act in time.',
        `Project: ${link}`,
        sender(false),
      ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line) => `<p>${escapeHtml(line).replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)}</p>`)
    .join('')}</body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
