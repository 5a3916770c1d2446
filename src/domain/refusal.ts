/**
 * The one shape of a refusal, for guards, authorization and ledger checks alike: a stable code a
 * program can branch on, the sentence in Chinese (what a person reads first) and in English, and
 * the figures it names. A check returns `Refusal | null` (null: it may pass).
 */
export interface Refusal {
  code: string;
  zh: string;
  en: string;
  params?: Record<string, string | number>;
}

export type Verdict = Refusal | null;

export function refusal(code: string, zh: string, en: string, params?: Record<string, string | number>): Refusal {
  return params ? { code, zh, en, params } : { code, zh, en };
}
