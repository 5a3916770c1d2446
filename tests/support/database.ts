import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import { openPgliteDatabase } from '../../src/store/pglite-database.ts';

/** The server the tests create their own databases on (CI: the machine's PostgreSQL). */
export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  db: Database;
  url: string;
  drop: () => Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated PostgreSQL database per test file, dropped afterwards. */
export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const name = `fundflow_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = openPgDatabase(url.toString(), poolSize);
  await migrate(db);
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close().catch(() => {});
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function createPgliteTestDatabase(): Promise<TestDatabase> {
  const db = await openPgliteDatabase();
  await migrate(db);
  return { db, url: 'pglite://memory', drop: () => db.close() };
}
