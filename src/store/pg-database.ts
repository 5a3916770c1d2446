import pg from 'pg';
import { parseInt8, type Database } from './database.ts';

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

class PgDatabase implements Database {
  readonly kind = 'pg' as const;
  constructor(private readonly runner: pg.Pool | pg.PoolClient, private readonly pool: pg.Pool) {}

  async query<Row>(sql: string, params: readonly unknown[] = [], name?: string): Promise<Row[]> {
    const result = name
      ? await this.runner.query({ name, text: sql, values: params as unknown[] })
      : await this.runner.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  async transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PgDatabase(client, this.pool));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openPgDatabase(connectionString: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize, types, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new PgDatabase(pool, pool);
}
