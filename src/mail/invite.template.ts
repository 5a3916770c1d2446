import { escapeHtml } from '../domain/escape-html.ts';
import { formatBeijingMinute } from '../domain/sign-in-rules.ts';

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

const SENDER_ZH = '阳城县中小企业发展促进中心';

/**
 * The invitation: a sign-in link (the same one-time link and code as a sign-in), in the official
 * register: greeting, what is asked in one sentence, until when, and the sender.
 */
export function renderInviteMail(input: InviteMailInput): { subject: string; text: string; html: string } {
  const zh = input.locale === 'zh-CN';
  const until = formatBeijingMinute(input.expiresAt);
  const subject = zh ? '【阳城县奖励资金】账号开通通知' : '[Yangcheng SME fund] Your account is ready';
  const lines = zh
    ? [
        `${input.recipientName}同志，您好：`,
        `系统管理员已为您开通阳城县中小企业奖励资金项目管理系统账号（角色：${input.roleName}），请点击下方链接登录，或在登录页输入验证码 ${input.code}。链接和验证码于 ${until}（北京时间）前有效，只能使用一次。`,
        input.link,
        `链接过期后，请在登录页 ${input.signInPage} 输入本邮箱，重新获取登录链接。本系统不设密码。`,
        SENDER_ZH,
      ]
    : [
        `Dear ${input.recipientName},`,
        `An administrator has opened an account for you in the Yangcheng SME reward fund system (role: ${input.roleName}). Open the link below to sign in, or enter the code ${input.code} on the sign-in page. The link and the code work once, until ${until} (Beijing time).`,
        input.link,
        `Once it has expired, enter this address on the sign-in page ${input.signInPage} to get a new link. There is no password.`,
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
