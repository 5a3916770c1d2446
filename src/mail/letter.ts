import type { MailCatalogue } from '../i18n/catalogue.ts';
import { en } from '../i18n/en.ts';
import { zhCN } from '../i18n/zh-CN.ts';

/**
 * The frame every email to a person shares (WORDING.md): the subject starts with 【阳城县奖励资金】,
 * the text opens with a greeting (XX同志，您好：) and closes with the sender. The words are in the
 * message catalogues (src/i18n, section `mail`); these names stay for the callers outside src/mail.
 */
export const SUBJECT_PREFIX_ZH = zhCN.mail.subjectPrefix;
export const SUBJECT_PREFIX_EN = en.mail.subjectPrefix;
export const SENDER_ZH = zhCN.mail.sender;
export const SENDER_EN = en.mail.sender;

/** The email sentences in the reader's language: Chinese unless the reader chose English. */
export function mailWords(zh: boolean): MailCatalogue {
  return zh ? zhCN.mail : en.mail;
}

export function greeting(zh: boolean, name: string): string {
  return mailWords(zh).greeting(name);
}

export function sender(zh: boolean): string {
  return mailWords(zh).sender;
}

/** "中文 / English" texts (decisions kept in the audit trail carry both): the reader's half. */
export function halfOf(text: string, zh: boolean): string {
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  return zh ? text.slice(0, at) : text.slice(at + 3);
}
