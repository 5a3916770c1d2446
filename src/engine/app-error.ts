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

  static badInput(fields: FieldProblem[], message = 'the request has invalid fields'): AppError {
    return new AppError('bad-input', `${message}: ${fields.map((f) => f.field).join(', ')}`, { errors: fields });
  }
}
