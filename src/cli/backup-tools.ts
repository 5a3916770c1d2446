import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AppConfig } from '../../config/env.schema.ts';
import type { Database } from '../usecases/system/open-database.ts';
import { CommandError } from './cli-errors.ts';

const run = promisify(execFile);

export interface BackupContext {
  config: Pick<AppConfig, 'databaseUrl'>;
  db: Database;
}

/** Runs a PostgreSQL client tool; its stderr (never the connection string) becomes the error. */
export async function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { code, stderr } = error as { code?: string | number; stderr?: string };
    if (code === 'ENOENT') throw new CommandError(`${tool} is not installed (Debian: apt-get install postgresql-client, the same major version as the server)`);
    throw new CommandError(`${tool} failed: ${(stderr ?? String(error)).trim().split('\n').slice(-3).join(' ')}`);
  }
}
