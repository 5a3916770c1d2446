import { escapeHtml } from '../domain/escape-html.ts';
import { formatBeijingMinute } from '../domain/sign-in-rules.ts';
import { mailWords } from './letter.ts';

export interface InviteMailInput {
  locale: 'zh-CN' | 'en';
  recipientName: string;
  /** The role in words, in the recipient's language (县财政局, 监督检查人员…). */
  roleName: string;
  link: string;
  code: string;
  expiresAt: Date;
  /** Where to ask for a fresh link once this one has expired. */
  signInPage: string;
}

/**
 * The invitation: a sign-in link (the same one-time link and code as a sign-in), in the official
 * register: greeting, what is asked in one sentence, until when, and the sender.
 */
export function renderInviteMail(input: InviteMailInput): { subject: string; text: string; html: string } {
  const zh = input.locale === 'zh-CN';
  const words = mailWords(zh);
  const until = formatBeijingMinute(input.expiresAt);
  const lines = [
    words.greeting(input.recipientName),
    words.inviteAsk(input.roleName, input.code, until),
    input.link,
    words.inviteWhenExpired(input.signInPage),
    words.sender,
  ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line) =>
      line === input.link
        ? `<p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>`
        : `<p>${escapeHtml(line).replace(input.code, `<strong>${input.code}</strong>`)}</p>`,
    )
    .join('')}</body></html>`;
  return { subject: words.inviteSubject, text: lines.join('\n\n'), html };
}
