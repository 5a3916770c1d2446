import fs from 'node:fs';
import { z } from 'zod';
import { asPglite } from '../usecases/system/as-pglite.ts';
import { countContents } from '../usecases/system/count-contents.ts';
import { runPgTool, type BackupContext } from './backup-tools.ts';
import { CommandError, parseFlags } from './cli-errors.ts';
import { restoreCommand, restoreFlags } from './restore.command.ts';

export const backupFlags = z.object({
  file: z.string().min(1, 'the file to write the backup to'),
  force: z.boolean().optional(),
});

export interface BackupReport {
  backend: 'pg' | 'pglite';
  file: string;
  bytes: number;
  format: 'pg_dump custom' | 'pglite datadir tar.gz';
  projects: number;
  events: number;
  takenAt: string;
}

/**
 * A consistent copy of the whole database in one file: pg_dump's custom format (one snapshot,
 * restorable with pg_restore) for PostgreSQL, PGlite's own datadir dump for the embedded database.
 * Written beside the target and renamed, so a failed backup never leaves a truncated file under its name.
 */
export async function backupCommand(ctx: BackupContext, input: z.input<typeof backupFlags>): Promise<BackupReport> {
  const flags = parseFlags(backupFlags, input);
  if (fs.existsSync(flags.file) && !flags.force) throw new CommandError(`${flags.file} exists; choose another file or pass --force to overwrite it`);
  const partial = `${flags.file}.partial-${process.pid}`;
  const counts = await countContents(ctx);
  const takenAt = new Date().toISOString();
  try {
    const pglite = asPglite(ctx.db);
    if (pglite) fs.writeFileSync(partial, await pglite.dump());
    else await runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', partial, '--dbname', ctx.config.databaseUrl!]);
    fs.renameSync(partial, flags.file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return {
    backend: ctx.db.kind,
    file: flags.file,
    bytes: fs.statSync(flags.file).size,
    format: ctx.db.kind === 'pg' ? 'pg_dump custom' : 'pglite datadir tar.gz',
    ...counts,
    takenAt,
  };
}

type Run = (flags: Record<string, unknown>, ctx: BackupContext | undefined) => Promise<{ output: unknown; failure?: { line: string; exitCode: number } }>;

/** The two commands as src/cli/main.ts lists them; the file is the first positional argument. */
export const backupCommands: Record<string, { usage: string; summary: string; options: Record<string, { type: 'string' | 'boolean' }>; positional: string; flags: z.ZodType; database: true; run: Run }> = {
  backup: {
    usage: 'backup <file> [--force]',
    summary: 'write a backup of the whole database to <file> (PostgreSQL: pg_dump custom format; embedded: PGlite datadir dump)',
    options: { file: { type: 'string' }, force: { type: 'boolean' } },
    positional: 'file',
    flags: backupFlags,
    database: true,
    run: async (flags, ctx) => ({ output: await backupCommand(ctx!, flags as never) }),
  },
  restore: {
    usage: 'restore <file> [--force]',
    summary: 'restore a backup into this database (a fresh one; --force replaces one that holds data), migrate it and verify its audit chains',
    options: { file: { type: 'string' }, force: { type: 'boolean' } },
    positional: 'file',
    flags: restoreFlags,
    database: true,
    run: async (flags, ctx) => {
      const report = await restoreCommand(ctx!, flags as never);
      return report.audit.ok ? { output: report } : { output: report, failure: { line: 'restored, but an audit chain does not verify: see audit', exitCode: 1 } };
    },
  },
};
