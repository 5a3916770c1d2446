import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError, type ErrorCode, type FieldProblem } from '../engine/app-error.ts';

/** The one map from error codes to HTTP statuses and problem titles (RFC 9457). */
const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  'bad-input': { status: 400, title: '请求参数有误 / Invalid request' },
  unauthenticated: { status: 401, title: '需要登录 / Authentication required' },
  forbidden: { status: 403, title: '无权执行此操作 / Not allowed for your role or organisation' },
  'not-found': { status: 404, title: '未找到 / Not found' },
  'version-conflict': { status: 409, title: '项目已被他人更新，请刷新后重试 / The project changed meanwhile' },
  'idempotency-key-reused': { status: 422, title: '幂等键已被另一请求使用 / Idempotency-Key reused' },
  'event-not-allowed': { status: 422, title: '当前状态不允许此操作 / Event not allowed in this state' },
  'guard-refused': { status: 422, title: '条件不满足 / Refused by a rule' },
  'snapshot-unrestorable': { status: 500, title: '项目记录无法恢复 / Stored project cannot be restored' },
  unavailable: { status: 503, title: '依赖服务不可用 / A dependency is unavailable' },
  csrf: { status: 403, title: '请求缺少安全校验，请刷新页面后重试 / CSRF token missing or wrong' },
  'rate-limited': { status: 429, title: '请求过于频繁，请稍后再试 / Too many requests' },
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code].status;
}

export function sendProblem(res: Response, status: number, title: string, detail: string, extra: Record<string, unknown> = {}): void {
  res
    .status(status)
    .type('application/problem+json')
    .json({ type: 'about:blank', title, status, detail, instance: res.req.originalUrl, ...extra });
}

export function sendAppError(res: Response, error: AppError): void {
  const { status, title } = STATUS[error.code];
  sendProblem(res, status, title, error.message, { code: error.code, ...error.details });
}

export function fieldProblems(error: z.ZodError, prefix: (string | number)[] = []): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix: (string | number)[] = []): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw AppError.badInput(fieldProblems(result.error, prefix));
  return result.data;
}

/** Last handler: every error becomes a problem document; a stack trace never leaves the process. */
export function problemHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof AppError) return sendAppError(res, error);
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      return sendProblem(res, 413, '请求体过大 / Payload too large', 'the request body is larger than the limit', { code: 'payload-too-large' });
    }
    if (type === 'entity.parse.failed') {
      return sendProblem(res, 400, '请求参数有误 / Invalid request', 'the body is not valid JSON', {
        code: 'bad-input',
        errors: [{ field: '(body)', message: 'malformed JSON' }],
      });
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return sendProblem(res, 415, '不支持的媒体类型 / Unsupported media type', 'send UTF-8 JSON', { code: 'unsupported-media-type' });
    }
    if (isBadBodyEncoding(error)) {
      return sendProblem(res, 400, '请求参数有误 / Invalid request', 'the body does not decode under its Content-Encoding (e.g. a broken gzip stream)', {
        code: 'bad-input',
        errors: [{ field: '(body)', message: 'malformed compressed body' }],
      });
    }
    const status = (error as { status?: number }).status;
    if ((error as { expose?: boolean }).expose && typeof status === 'number' && status >= 400 && status < 500) {
      // A client error raised by Express or a parser (e.g. a route parameter that does not decode).
      return sendProblem(res, 400, '请求参数有误 / Invalid request', String((error as Error).message), { code: 'bad-input' });
    }
    if (isConnectionFailure(error)) {
      log(error);
      return sendProblem(res, 503, STATUS.unavailable.title, 'the database is not answering; try again shortly', { code: 'unavailable' });
    }
    log(error);
    sendProblem(res, 500, '服务器内部错误 / Internal error', 'an unexpected error occurred; it has been logged', { code: 'internal' });
  };
}

function isBadBodyEncoding(error: unknown): boolean {
  return (error as { status?: number }).status === 400 && /^Z_/.test(String((error as { code?: string }).code ?? ''));
}

function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'].includes(code ?? '') ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(String((error as Error)?.message));
}
