import fs from 'node:fs';
import { z } from 'zod';
import { auditVerifyCommand, type AuditVerifyReport } from './audit-verify.command.ts';
import { runPgTool, type BackupContext } from './backup-tools.ts';
import { CommandError, parseFlags } from './cli-errors.ts';
import { asPglite } from '../usecases/system/as-pglite.ts';
import { countContents } from '../usecases/system/count-contents.ts';
import { countHeldRows } from '../usecases/system/count-held-rows.ts';
import { migrateDatabase } from '../usecases/system/migrate-database.ts';

export const restoreFlags = z.object({
  file: z.string().min(1, 'the backup file to restore'),
  force: z.boolean().optional(),
});

export interface RestoreReport {
  backend: 'pg' | 'pglite';
  file: string;
  projects: number;
  events: number;
  /** Embedded database: where the data that was replaced was moved. */
  previousDataMovedTo?: string;
  audit: AuditVerifyReport;
}

/** A pg_dump custom archive starts "PGDMP"; PGlite's dump is a gzip stream. */
function backendOf(file: string): 'pg' | 'pglite' {
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 5, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'pg';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  throw new CommandError(`${file} is not a fundflow backup (neither a pg_dump custom archive nor a PGlite dump)`);
}

/**
 * Puts a backup into this database, then brings it to the current migrations and verifies every
 * audit chain. Refuses a database that already holds projects or users unless --force: a restore
 * replaces everything. Redis is not part of a backup: the workers' reconciler rebuilds it.
 */
export async function restoreCommand(ctx: BackupContext, input: z.input<typeof restoreFlags>): Promise<RestoreReport> {
  const flags = parseFlags(restoreFlags, input);
  if (!fs.existsSync(flags.file)) throw new CommandError(`${flags.file} does not exist`);
  const kind = backendOf(flags.file);
  if (kind !== ctx.db.kind) {
    throw new CommandError(
      kind === 'pg'
        ? `${flags.file} is a PostgreSQL backup: set DATABASE_URL to the (fresh) PostgreSQL database to restore it into`
        : `${flags.file} is a backup of the embedded database: unset DATABASE_URL and point DATA_DIR at where it should go`,
    );
  }
  const held = await countHeldRows(ctx);
  if (held > 0 && !flags.force) {
    throw new CommandError(`this database already holds ${held} projects and users: restore into a fresh one, or pass --force to replace everything in it`);
  }
  let previousDataMovedTo: string | undefined;
  const pglite = asPglite(ctx.db);
  if (pglite) previousDataMovedTo = await pglite.replaceWithDump(new Uint8Array(fs.readFileSync(flags.file)));
  else {
    // One transaction: the dump's objects are dropped and recreated together, or nothing changes.
    await runPgTool('pg_restore', ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '--dbname', ctx.config.databaseUrl!, flags.file]);
  }
  // A backup from an older release gets the migrations added since.
  await migrateDatabase(ctx);
  return {
    backend: ctx.db.kind,
    file: flags.file,
    ...(await countContents(ctx)),
    ...(previousDataMovedTo ? { previousDataMovedTo } : {}),
    audit: await auditVerifyCommand(ctx.db),
  };
}
