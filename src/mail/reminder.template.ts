import { findItem } from '../../config/plan.ts';
import { quoteApplicantText } from '../domain/applicant-text.ts';
import { escapeHtml } from '../domain/escape-html.ts';
import { projectPageLink } from '../domain/page-links.ts';
import { deadlineName } from '../i18n/messages.ts';
import { mailWords } from './letter.ts';

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
  const words = mailWords(zh);
  const deadline = zh ? name.zh : name.en;
  const when = words.reminderWhen(input.offsetDays);
  const subject = words.reminderSubject({ escalated: input.escalated, code: input.projectCode, deadline, when, dueDate: input.dueDate });
  const lines = [
    words.greeting(input.recipientName),
    words.reminderBody({
      code: input.projectCode,
      title: quoteApplicantText(input.projectTitle, input.locale),
      itemName: (zh ? item?.nameZh : item?.nameEn) ?? String(input.item),
      deadline,
      dueDate: input.dueDate,
      when,
    }),
    input.escalated ? words.reminderEscalated : words.reminderInTime,
    words.reminderProject(link),
    words.sender,
  ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line) => `<p>${escapeHtml(line).replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)}</p>`)
    .join('')}</body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
