/** The one port the store needs from a database: parameterised queries and transactions. */
export interface Database {
  readonly kind: 'pg' | 'pglite';
  /**
   * `name` makes PostgreSQL keep the statement prepared on each connection (hot paths only: the
   * same name must always carry the same text). PGlite ignores it.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]>;
  /** Runs several statements as one; not needed where a single statement already is atomic. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL error codes the shell turns into answers. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_CHECK_VIOLATION = '23514';
export const PG_SERIALIZATION_FAILURE = '40001';

export function pgErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** int8 columns (counts, fen) arrive as strings; every value we store fits a safe integer. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return value;
}
