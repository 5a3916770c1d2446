import path from 'node:path';
import type { AppConfig } from '../../config/env.schema.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPgDatabase } from './pg-database.ts';
import { openPgliteDatabase } from './pglite-database.ts';

/** PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR; migrated before it is handed out. */
export async function openDatabase(config: Pick<AppConfig, 'databaseUrl' | 'databasePoolSize' | 'dataDir'> & Partial<Pick<AppConfig, 'databaseConnectTimeoutMs' | 'databaseQueryTimeoutMs'>>): Promise<Database> {
  const db = config.databaseUrl
    ? openPgDatabase(config.databaseUrl, config.databasePoolSize, {
        ...(config.databaseConnectTimeoutMs ? { connectMs: config.databaseConnectTimeoutMs } : {}),
        ...(config.databaseQueryTimeoutMs ? { queryMs: config.databaseQueryTimeoutMs } : {}),
      })
    : await openPgliteDatabase(path.join(config.dataDir, 'db'));
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
