import { createContext, useContext } from 'react';
import type { Lang } from './lib/labels.ts';

export interface LangContextValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

export const LangContext = createContext<LangContextValue>({ lang: 'zh', setLang: () => {} });

/** The current language and a picker of the Chinese or English text: t('我的待办', 'My tasks'). */
export function useLang() {
  const { lang, setLang } = useContext(LangContext);
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  return { lang, setLang, t };
}

const STORAGE_KEY = 'fundflow.lang';

export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private windows may refuse storage; the choice then lasts for this page only
  }
}
