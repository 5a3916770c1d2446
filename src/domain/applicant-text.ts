/** Line breaks, tabs, other control and format characters (incl. U+2028/2029, bidi controls, zero-width). */
const BREAKS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]+/gu;
const SCHEME = /:\/\//g;
const WWW = /www\./gi;
const MAX = 200;

/**
 * An applicant's words (e.g. a project title) as staff emails show them: one line, links
 * neutralised so no mail client makes them clickable (`http://` → `http[:]//`, `www.` → `www[.]`),
 * at most 200 characters, and marked as the applicant's: 申报单位填写：“…” / as entered by the applicant: "…".
 */
export function quoteApplicantText(text: string, locale: 'zh-CN' | 'en'): string {
  let line = text.replace(BREAKS, ' ').trim().replace(SCHEME, '[:]//').replace(WWW, (www) => `${www.slice(0, 3)}[.]`);
  if ([...line].length > MAX) line = `${[...line].slice(0, MAX).join('')}…`;
  return locale === 'zh-CN' ? `申报单位填写：“${line}”` : `as entered by the applicant: "${line}"`;
}
