import { escapeHtml } from '../domain/escape-html.ts';
import { formatBeijingMinute } from '../domain/sign-in-rules.ts';
import { mailWords } from './letter.ts';

export interface SignInMailInput {
  locale: 'zh-CN' | 'en';
  recipientName: string;
  link: string;
  code: string;
  expiresAt: Date;
}

/** The sign-in email: a one-time link and the same sign-in as a 6-digit code, Chinese first. */
export function renderSignInMail(input: SignInMailInput): { subject: string; text: string; html: string } {
  const zh = input.locale === 'zh-CN';
  const words = mailWords(zh);
  const until = formatBeijingMinute(input.expiresAt);
  const lines = [words.greeting(input.recipientName), words.signInAsk(input.code, until), input.link, words.signInNotYou, words.sender];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line) =>
      line === input.link
        ? `<p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>`
        : `<p>${escapeHtml(line).replace(input.code, `<strong>${input.code}</strong>`)}</p>`,
    )
    .join('')}</body></html>`;
  return { subject: words.signInSubject, text: lines.join('\n\n'), html };
}
