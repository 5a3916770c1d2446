/**
 * Expected refusals carry a code; src/http/problem.ts is the one place that maps codes to HTTP
 * statuses. Infrastructure faults stay ordinary exceptions.
 */
export type ErrorCode =
  | 'bad-input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'version-conflict'
  | 'idempotency-key-reused'
  | 'event-not-allowed'
  | 'guard-refused'
  | 'snapshot-unrestorable'
  | 'unavailable'
  | 'csrf'
  | 'rate-limited';

import type { Refusal } from '../domain/refusal.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  /**
   * A refusal by a guard, an authorization or a ledger rule, in the one shape (code, zh, en): the
   * problem's `detail` is the Chinese, `detailEn` the English, `refusals` each one with its code.
   */
  static refused(code: ErrorCode, refusals: readonly Refusal[], details: Record<string, unknown> = {}, lead?: { zh: string; en: string }): AppError {
    const zh = refusals.map((r) => r.zh).join('；');
    const en = refusals.map((r) => r.en).join('; ');
    return new AppError(code, lead ? `${lead.zh}${zh}` : zh, {
      ...details,
      detailEn: lead ? `${lead.en}${en}` : en,
      refusals: refusals.map((r) => ({ ...r })),
    });
  }

  static badInput(fields: FieldProblem[], message = 'the request has invalid fields'): AppError {
    return new AppError('bad-input', `${message}: ${fields.map((f) => f.field).join(', ')}`, { errors: fields });
  }
}
