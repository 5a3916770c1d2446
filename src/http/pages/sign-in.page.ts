import { escapeHtml as esc } from '../../domain/escape-html.ts';
import type { SignInPageCatalogue } from '../../i18n/catalogue.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

type Locale = 'zh-CN' | 'en';

const STYLE = `body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;line-height:1.6}
h1{font-size:1.4rem}button{font-size:1rem;padding:.6rem 2rem;margin-top:.5rem;cursor:pointer}label{display:block;margin:.5rem 0}
input[type=email]{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}.notice{padding:.8rem 1rem;border-left:4px solid #c00;background:#fff4f4}
.muted{color:#666;font-size:.9rem}`;

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The page's sentences in the reader's language, from the message catalogues (section `signInPage`). */
const wordsOf = (locale: Locale): SignInPageCatalogue => (locale === 'zh-CN' ? zhCN.signInPage : en.signInPage);

/** GET /sign-in/<token>: a button whose POST signs in. Opening the link (a mail scanner does) changes nothing. */
export function renderContinuePage(locale: Locale, input: { action: string; nonce: string }): string {
  const words = wordsOf(locale);
  return page(
    locale,
    words.continueTitle,
    `<h1>${esc(words.system)}</h1>
<p>${esc(words.continueAsk)}</p>
<form method="post" action="${esc(input.action)}"><input type="hidden" name="nonce" value="${esc(input.nonce)}">
<button type="submit">${esc(words.continueTitle)}</button></form>
<p class="muted">${esc(words.continueNotYou)}</p>`,
  );
}

/** A link that cannot sign in any more, and a form to get a new one. */
export function renderSignInGonePage(locale: Locale, input: { message: { zh: string; en: string }; next: string | null }): string {
  const zh = locale === 'zh-CN';
  const words = wordsOf(locale);
  return page(
    locale,
    words.goneTitle,
    `<h1>${esc(words.goneHeading)}</h1>
<p class="notice" role="alert">${esc(zh ? input.message.zh : input.message.en)}</p>
${requestForm(locale, input.next)}`,
  );
}

function requestForm(locale: Locale, next: string | null): string {
  const words = wordsOf(locale);
  return `<form method="post" action="/sign-in"><label>${esc(words.emailLabel)}<input type="email" name="email" required autocomplete="email"></label>
${next ? `<input type="hidden" name="next" value="${esc(next)}">` : ''}<button type="submit">${esc(words.requestNewLink)}</button></form>`;
}

/** The answer to a request for a link: the same whether or not the address has an account. */
export function renderSignInSentPage(locale: Locale): string {
  const words = wordsOf(locale);
  return page(
    locale,
    words.sentTitle,
    `<h1>${esc(words.sentHeading)}</h1>
<p>${esc(words.sentBody)}</p>`,
  );
}

export function renderSignInProblemPage(locale: Locale, status: 'form' | 'rate', next: string | null): string {
  const words = wordsOf(locale);
  const message = status === 'form' ? words.formExpired : words.tooManyRequests;
  return page(locale, words.problemTitle, `<h1>${esc(words.problemTitle)}</h1><p class="notice" role="alert">${esc(message)}</p>${status === 'form' ? '' : requestForm(locale, next)}`);
}
