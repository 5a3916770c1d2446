import type { Lang } from './labels.ts';

/** An answer of the API that is not a success, as application/problem+json (RFC 9457). */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  reasons?: string[];
  messageZh?: string;
  /** The English of `detail`, when the server has one. */
  detailEn?: string;
  /** Each rule that refused, with its Chinese and English sentence. */
  refusals?: unknown;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.status = problem.status;
    this.problem = problem;
  }
}

export const CONFLICT_TEXT = '项目已被他人更新，请刷新后重试';

export interface ProblemMessage {
  text: string;
  /** The page should offer to reload: the project changed under the user. */
  reload: boolean;
  fields: { field: string; message: string }[];
}


/** One refusal as the server sends it (src/domain/refusal.ts through AppError.refused). */
interface ProblemRefusal {
  code: string;
  zh: string;
  en: string;
}

function refusalsOf(problem: Problem): ProblemRefusal[] {
  if (!Array.isArray(problem.refusals)) return [];
  return problem.refusals.filter(
    (entry): entry is ProblemRefusal => !!entry && typeof entry === 'object' && typeof (entry as ProblemRefusal).zh === 'string' && typeof (entry as ProblemRefusal).en === 'string',
  );
}

const nonEmpty = (text: unknown): text is string => typeof text === 'string' && text.trim() !== '';

/**
 * The rule's own words for a refusal, in the page language: the refusals' sentences first (each
 * carries Chinese and English), then `messageZh`, the Chinese `detail` (or `detailEn` in English),
 * and only then `reasons`, which are often English codes. Null when the problem says nothing usable.
 */
export function ruleTextOf(problem: Problem, lang: Lang = 'zh'): string | null {
  const refusals = refusalsOf(problem);
  if (refusals.length) return refusals.map((entry) => (lang === 'en' ? entry.en : entry.zh)).join(lang === 'en' ? '; ' : '；');
  if (lang === 'en' && nonEmpty(problem.detailEn)) return problem.detailEn;
  if (nonEmpty(problem.messageZh)) return problem.messageZh;
  if (nonEmpty(problem.detail)) return problem.detail;
  if (problem.reasons?.length) return problem.reasons.join(lang === 'en' ? '; ' : '；');
  return null;
}

const TEXTS = {
  conflict: { zh: CONFLICT_TEXT, en: 'Someone else changed the project meanwhile; reload and try again' },
  refused: { zh: '当前状态不允许此操作', en: 'This action is not allowed now' },
  checkFields: { zh: '请检查填写的内容', en: 'Please check the marked fields' },
  signedOut: { zh: '登录已失效，请重新登录', en: 'Your session has ended; please sign in again' },
  forbidden: { zh: '您无权执行此操作', en: 'You are not allowed to do this' },
  notFound: { zh: '未找到该记录，或您无权查看', en: 'Not found, or not visible to you' },
  tooMany: { zh: '操作过于频繁，请稍后再试', en: 'Too many attempts; please try again later' },
  unavailable: { zh: '服务暂时不可用，请稍后再试', en: 'The service is unavailable; please try again later' },
  failed: { zh: '操作未成功', en: 'The action did not succeed' },
} as const;

/**
 * What a person reads for a refusal, in the page language (Chinese unless told): 409 → the
 * conflict sentence, 422 (and a 403 that names its rule) → the rule's own text, 400 → the fields.
 */
export function messageOfProblem(problem: Problem, lang: Lang = 'zh'): ProblemMessage {
  const fields = problem.errors ?? [];
  const say = (key: keyof typeof TEXTS) => TEXTS[key][lang];
  switch (problem.status) {
    case 409:
      return { text: say('conflict'), reload: true, fields };
    case 422:
      return { text: ruleTextOf(problem, lang) ?? say('refused'), reload: false, fields };
    case 400:
      return {
        text: fields.length ? `${say('checkFields')}${lang === 'en' ? ': ' : '：'}${fields.map((f) => `${f.field} ${f.message}`).join(lang === 'en' ? '; ' : '；')}` : say('checkFields'),
        reload: false,
        fields,
      };
    case 401:
      return { text: say('signedOut'), reload: false, fields };
    case 403:
      // A refusal by an authorization rule carries its sentence; a bare 403 gets the general one.
      return { text: (refusalsOf(problem).length ? ruleTextOf(problem, lang) : null) ?? say('forbidden'), reload: false, fields };
    case 404:
      return { text: say('notFound'), reload: false, fields };
    case 429:
      return { text: say('tooMany'), reload: false, fields };
    default:
      return { text: problem.status >= 500 ? say('unavailable') : (lang === 'en' && nonEmpty(problem.detailEn) ? problem.detailEn : problem.detail) ?? say('failed'), reload: false, fields };
  }
}

export async function problemOf(response: Response): Promise<Problem> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const problem = body && typeof body === 'object' ? (body as Problem) : ({} as Problem);
  return { ...problem, status: response.status };
}
