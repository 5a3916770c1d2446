import type { Catalogue, Locale } from './catalogue.ts';
import { isDeadline, isTaskKind } from '../domain/vocabulary.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { Catalogue, Locale };

/** The catalogues by locale. */
export const CATALOGUES: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en };

/** Both languages of one vocabulary word, e.g. `labelOf('deadline', 'correction')`. */
export function labelOf<S extends keyof Catalogue>(section: S, key: keyof Catalogue[S]): { zh: string; en: string } {
  return { zh: (zhCN as Catalogue)[section][key] as string, en: (en as Catalogue)[section][key] as string };
}

/** A deadline's name in both languages: a lifecycle deadline, or a task's (`task.review`), from the message catalogues. */
export function deadlineName(deadline: string): { zh: string; en: string } {
  if (isDeadline(deadline)) return labelOf('deadline', deadline);
  const task = deadline.startsWith('task.') ? deadline.slice('task.'.length) : '';
  if (isTaskKind(task)) return labelOf('task', task);
  return { zh: deadline, en: deadline };
}
