import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the benchmarks create their throw-away databases on. */
export const BENCH_ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database (fundflow_bench_<random>); drop() removes it even with connections open. */
export async function createBenchDatabase(prefix = 'fundflow_bench'): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Server settings worth recording next to the figures (they change them a lot). */
export async function serverSettings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('server_version', 'shared_buffers', 'synchronous_commit', 'fsync', 'max_connections', 'work_mem', 'wal_level')`,
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.unit ? `${row.setting} (${row.unit})` : row.setting]));
  } finally {
    await client.end();
  }
}

/** Keeps the database when BENCH_KEEP_DB=1 (to look into it afterwards), drops it otherwise. */
export async function keepOrDrop(bench: BenchDatabase | undefined, log: (message: string) => void): Promise<void> {
  if (process.env.BENCH_KEEP_DB === '1' && bench) log(`kept database ${bench.name} (BENCH_KEEP_DB=1)`);
  else await bench?.drop().catch((error: unknown) => console.error(`could not drop ${bench?.name}:`, error));
}

/**
 * A benchmark's teardown, run once however many callers: Ctrl-C or SIGTERM runs it and exits 130
 * (so an interrupted run leaves no database, server or redis-server behind), and `release()` at the
 * end of the run detaches those handlers and runs it (or waits for the run already under way).
 */
export function teardownOnce(log: (message: string) => void, onInterrupt: string, teardown: () => Promise<void>): { release: () => Promise<void> } {
  let running: Promise<void> | undefined;
  const once = () => (running ??= teardown());
  const onSignal = () => {
    log(onInterrupt);
    void once().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      return once();
    },
  };
}
