/**
 * The frame every email to a person shares (WORDING.md): the subject starts with 【阳城县奖励资金】,
 * the text opens with a greeting (XX同志，您好：) and closes with the sender.
 */
export const SUBJECT_PREFIX_ZH = '【阳城县奖励资金】';
export const SUBJECT_PREFIX_EN = '[Yangcheng SME fund] ';
export const SENDER_ZH = '阳城县中小企业发展促进中心';
export const SENDER_EN = 'Yangcheng County SME Development Promotion Center (阳城县中小企业发展促进中心)';

export function greeting(zh: boolean, name: string): string {
  return zh ? `${name}同志，您好：` : `Dear ${name},`;
}

export function sender(zh: boolean): string {
  return zh ? SENDER_ZH : SENDER_EN;
}

/** "中文 / English" texts (decisions kept in the audit trail carry both): the reader's half. */
export function halfOf(text: string, zh: boolean): string {
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  return zh ? text.slice(0, at) : text.slice(at + 3);
}
