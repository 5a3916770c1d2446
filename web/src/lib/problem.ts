/** An answer of the API that is not a success, as application/problem+json (RFC 9457). */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  reasons?: string[];
  messageZh?: string;
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

/** What a person reads for a refusal: 409 → the conflict sentence, 422 → the rule's own text, 400 → the fields. */
export function messageOfProblem(problem: Problem): ProblemMessage {
  const fields = problem.errors ?? [];
  switch (problem.status) {
    case 409:
      return { text: CONFLICT_TEXT, reload: true, fields };
    case 422: {
      const rule = problem.messageZh ?? problem.reasons?.join('；') ?? problem.detail ?? '当前状态不允许此操作';
      return { text: rule, reload: false, fields };
    }
    case 400:
      return { text: fields.length ? `请检查填写的内容：${fields.map((f) => `${f.field} ${f.message}`).join('；')}` : '请检查填写的内容', reload: false, fields };
    case 401:
      return { text: '登录已失效，请重新登录', reload: false, fields };
    case 403:
      return { text: '您无权执行此操作', reload: false, fields };
    case 404:
      return { text: '未找到该记录，或您无权查看', reload: false, fields };
    case 429:
      return { text: '操作过于频繁，请稍后再试', reload: false, fields };
    default:
      return { text: problem.status >= 500 ? '服务暂时不可用，请稍后再试' : problem.detail ?? '操作未成功', reload: false, fields };
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
