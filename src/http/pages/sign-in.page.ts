import { escapeHtml as esc } from '../../domain/escape-html.ts';

type Locale = 'zh-CN' | 'en';

const STYLE = `body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;line-height:1.6}
h1{font-size:1.4rem}button{font-size:1rem;padding:.6rem 2rem;margin-top:.5rem;cursor:pointer}label{display:block;margin:.5rem 0}
input[type=email]{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}.notice{padding:.8rem 1rem;border-left:4px solid #c00;background:#fff4f4}
.muted{color:#666;font-size:.9rem}`;

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const SYSTEM = { zh: '阳城县中小企业奖励资金项目管理系统', en: 'Yangcheng SME reward fund' };

/** GET /sign-in/<token>: a button whose POST signs in. Opening the link (a mail scanner does) changes nothing. */
export function renderContinuePage(locale: Locale, input: { action: string; nonce: string }): string {
  const zh = locale === 'zh-CN';
  return page(
    locale,
    zh ? '继续登录' : 'Continue signing in',
    `<h1>${zh ? SYSTEM.zh : SYSTEM.en}</h1>
<p>${zh ? '请点击下方按钮完成登录。此链接只能使用一次。' : 'Press the button below to sign in. This link works once.'}</p>
<form method="post" action="${esc(input.action)}"><input type="hidden" name="nonce" value="${esc(input.nonce)}">
<button type="submit">${zh ? '继续登录' : 'Continue signing in'}</button></form>
<p class="muted">${zh ? '如非本人操作，请关闭此页面。' : 'If you did not ask to sign in, close this page.'}</p>`,
  );
}

/** A link that cannot sign in any more, and a form to get a new one. */
export function renderSignInGonePage(locale: Locale, input: { message: { zh: string; en: string }; next: string | null }): string {
  const zh = locale === 'zh-CN';
  return page(
    locale,
    zh ? '登录链接已失效' : 'Sign-in link no longer valid',
    `<h1>${zh ? '登录链接已失效' : 'This sign-in link no longer works'}</h1>
<p class="notice" role="alert">${esc(zh ? input.message.zh : input.message.en)}</p>
${requestForm(locale, input.next)}`,
  );
}

function requestForm(locale: Locale, next: string | null): string {
  const zh = locale === 'zh-CN';
  return `<form method="post" action="/sign-in"><label>${zh ? '电子邮箱' : 'Email'}<input type="email" name="email" required autocomplete="email"></label>
${next ? `<input type="hidden" name="next" value="${esc(next)}">` : ''}<button type="submit">${zh ? '重新获取登录链接' : 'Send me a new link'}</button></form>`;
}

/** The answer to a request for a link: the same whether or not the address has an account. */
export function renderSignInSentPage(locale: Locale): string {
  const zh = locale === 'zh-CN';
  return page(
    locale,
    zh ? '登录链接已发送' : 'Sign-in link sent',
    `<h1>${zh ? '请查收邮件' : 'Check your email'}</h1>
<p>${zh ? '如果该邮箱已在系统中登记，登录链接和验证码已发送至该邮箱，15 分钟内有效。' : 'If this address has an account, a sign-in link and code are on their way; they work for 15 minutes.'}</p>`,
  );
}

export function renderSignInProblemPage(locale: Locale, status: 'form' | 'rate', next: string | null): string {
  const zh = locale === 'zh-CN';
  const message =
    status === 'form'
      ? { zh: '页面已过期，请重新打开邮件中的链接。', en: 'This page has expired; open the link from the email again.' }
      : { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests; try again later.' };
  return page(locale, zh ? '无法登录' : 'Not signed in', `<h1>${zh ? '无法登录' : 'Not signed in'}</h1><p class="notice" role="alert">${esc(zh ? message.zh : message.en)}</p>${status === 'form' ? '' : requestForm(locale, next)}`);
}
