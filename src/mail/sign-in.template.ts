import { escapeHtml } from '../domain/escape-html.ts';
import { formatBeijingMinute } from '../domain/sign-in-rules.ts';

export interface SignInMailInput {
  locale: 'zh-CN' | 'en';
  recipientName: string;
  link: string;
  code: string;
  expiresAt: Date;
}

const SENDER_ZH = '阳城县中小企业发展促进中心';

/** The sign-in email: a one-time link and the same sign-in as a 6-digit code, Chinese first. */
export function renderSignInMail(input: SignInMailInput): { subject: string; text: string; html: string } {
  const zh = input.locale === 'zh-CN';
  const until = formatBeijingMinute(input.expiresAt);
  const subject = zh ? '【阳城县奖励资金】登录链接和验证码' : '[Yangcheng SME fund] Your sign-in link and code';
  const lines = zh
    ? [
        `${input.recipientName}同志，您好：`,
        `请点击下方链接登录阳城县中小企业奖励资金项目管理系统，或在登录页输入验证码 ${input.code}。链接和验证码于 ${until}（北京时间）前有效，只能使用一次。`,
        input.link,
        '如非本人操作，请忽略本邮件，您的账号不会有任何变化。',
        SENDER_ZH,
      ]
    : [
        `Dear ${input.recipientName},`,
        `Open the link below to sign in to the Yangcheng SME reward fund system, or enter the code ${input.code} on the sign-in page. The link and the code work once, until ${until} (Beijing time).`,
        input.link,
        'If you did not ask to sign in, ignore this email; nothing changes on your account.',
        'Yangcheng County SME Development Promotion Center (阳城县中小企业发展促进中心)',
      ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line) =>
      line === input.link
        ? `<p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>`
        : `<p>${escapeHtml(line).replace(input.code, `<strong>${input.code}</strong>`)}</p>`,
    )
    .join('')}</body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
