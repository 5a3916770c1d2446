import pg from 'pg';
import { AppError } from '../engine/app-error.ts';
import { parseInt8, pgErrorCode, type Database } from './database.ts';

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** How long a request may wait for PostgreSQL before it is answered 503 instead of hanging. */
export interface PgTimeouts {
  /** A new connection (TCP and startup) must be up within this. */
  connectMs?: number;
  /**
   * A statement must answer within this: the server cancels it, and the client gives up shortly
   * after. None when left out (bulk tools such as the benchmarks' seeding); the service sets one.
   */
  queryMs?: number;
}

/**
 * Error codes and messages that mean "the server is away or not answering", not "the statement is
 * wrong": connection refused or cut, the server shutting down or starting, a timeout.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '57014', '53300', '08000', '08001', '08003', '08004', '08006',
]);
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|Client was closed|connection error/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'unavailable';
  return UNAVAILABLE_CODES.has(pgErrorCode(error) ?? '') || UNAVAILABLE_MESSAGES.test(String((error as Error | undefined)?.message));
}

/** The shell answers 503 for this (src/http/problem.ts maps the code); the original error stays as its cause. */
function unavailable(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const failure = new AppError('unavailable', 'the database is not answering; try again shortly');
  (failure as Error & { cause?: unknown }).cause = error;
  return failure;
}

function translate(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? unavailable(error) : error;
}

class PgDatabase implements Database {
  readonly kind = 'pg' as const;
  constructor(private readonly runner: pg.Pool | pg.PoolClient, private readonly pool: pg.Pool) {}

  async query<Row>(sql: string, params: readonly unknown[] = [], name?: string): Promise<Row[]> {
    try {
      const result = name
        ? await this.runner.query({ name, text: sql, values: params as unknown[] })
        : await this.runner.query(sql, params as unknown[]);
      return result.rows as Row[];
    } catch (error) {
      throw translate(error);
    }
  }

  async transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translate(error);
    }
    let broken: Error | undefined;
    // The server may end the session between two statements (a shutdown sends FATAL 57P01): the
    // client then emits 'error', which without a listener would crash the process.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(new PgDatabase(client, this.pool));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isDatabaseUnavailable(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw translate(error);
    } finally {
      // A connection that failed or timed out may still have a statement running: never reuse it.
      client.off('error', onError);
      client.release(broken ?? undefined);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openPgDatabase(connectionString: string, poolSize: number, timeouts: PgTimeouts = {}): Database {
  const { connectMs = 5_000, queryMs } = timeouts;
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    types,
    connectionTimeoutMillis: connectMs,
    // The server's own limit frees its resources; the client's, a little later, bounds a server that no longer answers.
    ...(queryMs ? { statement_timeout: queryMs, query_timeout: queryMs + 1_000 } : {}),
    // A server that vanished without closing the socket is found by TCP keepalive, not by waiting forever.
    keepAlive: true,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new PgDatabase(pool, pool);
}
