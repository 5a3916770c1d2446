import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { ConfigError, loadConfig, type AppConfig } from '../../config/env.schema.ts';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { ROLES } from '../../config/roles.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { AppError } from '../engine/app-error.ts';
import type { EngineDeps } from '../engine/engine-deps.ts';
import { DatabaseLockedError, openDatabase, type Database } from '../usecases/system/open-database.ts';
import { auditVerifyCommand, auditVerifyFlags, describeBroken } from './audit-verify.command.ts';
import { backupCommands } from './backup.command.ts';
import { CommandError, EXIT, UsageError, flagToKey, parseFlags } from './cli-errors.ts';
import { demoSeedCommand } from './demo-seed.command.ts';
import { addOrganisationCommand, addOrganisationFlags, listOrganisationsCommand, ORG_KINDS } from './orgs.command.ts';
import { renderMermaid } from './state-diagram.ts';
import { issueTokenCommand, issueTokenFlags, revokeTokenCommand, revokeTokenFlags } from './tokens.command.ts';
import { addUserCommand, addUserFlags, deactivateUserCommand, deactivateUserFlags } from './users.command.ts';
import { adminSocketPath, sendAdminCommand } from './remote/admin-socket.ts';

/**
 * `npm run cli -- <command> [flags]`: the admin CLI. This file is the composition root: it parses
 * argv, loads the config once, opens the database, hands both to one command function and turns
 * the outcome into stdout JSON, one stderr line and an exit code (see EXIT).
 */

export interface CommandContext {
  config: AppConfig;
  db: Database;
  deps: EngineDeps;
}

/** What a command leaves: data for stdout, and on failure one line for stderr with its exit code. */
interface CommandOutcome {
  output: unknown;
  failure?: { line: string; exitCode: number };
}

interface CommandSpec {
  usage: string;
  summary: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  /** The command's flag schema, checked before any database is opened (the command checks again). */
  flags?: z.ZodType;
  /** False for commands that need neither config nor database. */
  database: boolean;
  /** The flag that a first positional argument stands for (`backup <file>`). */
  positional?: string;
  run: (flags: Record<string, unknown>, context: CommandContext | undefined) => Promise<CommandOutcome>;
}

const string = { type: 'string' } as const;

// Each command function validates its flags with its own zod schema (and names a bad flag), so the
// raw parseArgs values are handed over unchecked (`as never`).

const COMMANDS: Record<string, CommandSpec> = {
  'orgs:add': {
    usage: `orgs:add --name <name> --kind <${ORG_KINDS.join('|')}> [--credit-code <统一社会信用代码>]`,
    summary: 'add an organisation; prints it with its id',
    options: { name: string, kind: string, 'credit-code': string },
    flags: addOrganisationFlags,
    database: true,
    run: async (flags, ctx) => ({ output: await addOrganisationCommand(ctx!.db, flags as never) }),
  },
  'orgs:list': {
    usage: 'orgs:list',
    summary: 'list the organisations',
    options: {},
    database: true,
    run: async (_flags, ctx) => ({ output: await listOrganisationsCommand(ctx!.db) }),
  },
  'users:add': {
    usage: `users:add --email <email> --role <${ROLES.join('|')}> [--name <name>] [--org <org id or exact name>] [--locale zh-CN|en]`,
    summary: 'add a user and print a new API token; staff without --org join their standing organisation, an applicant needs --org',
    options: { email: string, name: string, role: string, org: string, locale: string },
    flags: addUserFlags,
    database: true,
    run: async (flags, ctx) => ({ output: await addUserCommand(ctx!.db, flags as never, { tokenTtlDays: ctx!.config.tokenTtlDays }) }),
  },
  'tokens:issue': {
    usage: 'tokens:issue --email <email> [--label <label>]',
    summary: 'issue a fresh API token for an existing user (earlier tokens stay valid)',
    options: { email: string, label: string },
    flags: issueTokenFlags,
    database: true,
    run: async (flags, ctx) => ({ output: await issueTokenCommand(ctx!.db, flags as never, { tokenTtlDays: ctx!.config.tokenTtlDays }) }),
  },
  'tokens:revoke': {
    usage: 'tokens:revoke --token <token or its sha-256>',
    summary: 'revoke one API token (a running service stops accepting it within TOKEN_CACHE_SECONDS)',
    options: { token: string },
    flags: revokeTokenFlags,
    database: true,
    run: async (flags, ctx) => ({ output: await revokeTokenCommand(ctx!.db, flags as never) }),
  },
  'users:deactivate': {
    usage: 'users:deactivate --email <email>',
    summary: 'deactivate a user: their tokens and unused email links are revoked at once',
    options: { email: string },
    flags: deactivateUserFlags,
    database: true,
    run: async (flags, ctx) => ({ output: await deactivateUserCommand(ctx!.db, flags as never) }),
  },
  'audit:verify': {
    usage: 'audit:verify [--project <project id>]',
    summary: "recompute every project's audit hash chain (or one project's); exit 1 naming the first broken event",
    options: { project: string },
    flags: auditVerifyFlags,
    database: true,
    run: async (flags, ctx) => {
      const report = await auditVerifyCommand(ctx!.db, flags as never);
      return report.ok ? { output: report } : { output: report, failure: { line: describeBroken(report), exitCode: EXIT.failed } };
    },
  },
  'demo:seed': {
    usage: 'demo:seed',
    summary: 'add demo organisations, one user per role (tokens printed) and ~15 projects driven through the engine',
    options: {},
    database: true,
    run: async (_flags, ctx) => ({ output: await demoSeedCommand(ctx!.deps) }),
  },
  diagram: {
    usage: 'diagram',
    summary: "print the project lifecycle as a mermaid stateDiagram-v2, generated from the machine (not JSON)",
    options: {},
    database: false,
    run: async () => ({ output: renderMermaid(createProjectMachine(DEFAULT_LIFECYCLE_RULES)) }),
  },
  ...(backupCommands as Record<string, CommandSpec>),
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'fundflow admin CLI',
    '',
    'usage: npm run cli -- <command> [flags]      (npm run cli -- <command> --help for its flags)',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`),
    '',
    'Output is JSON on stdout; an error is one line on stderr.',
    'exit codes: 0 ok, 1 failed (e.g. a broken audit chain), 2 bad flags or configuration,',
    '            3 the embedded database (DATA_DIR) is in use by another process',
    'database: PostgreSQL when DATABASE_URL is set, else the embedded PGlite in DATA_DIR/db.',
    '',
  ].join('\n');
}

function commandHelp(spec: CommandSpec): string {
  return `usage: npm run cli -- ${spec.usage}\n\n${spec.summary}\n`;
}

/** node's parseArgs messages, turned into one line that starts with the flag. */
function usageErrorOf(error: unknown, command: string): UsageError {
  const { code, message } = error as { code?: string; message: string };
  const flag = /'(-{1,2}[^' =]+)/.exec(message)?.[1];
  const help = `see npm run cli -- ${command} --help`;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`${flag ?? 'flag'}: unknown flag for ${command} (${help})`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        message.includes('does not take an argument') ? `${flag}: takes no value` : `${flag ?? 'flag'}: needs a value (${help})`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`${command} takes only flags, not ${/'([^']*)'/.exec(message)?.[0] ?? 'positional arguments'} (${help})`);
    default:
      return new UsageError(message.split('\n')[0]!);
  }
}

function parseCommandFlags(command: string, spec: CommandSpec, args: string[]): { help: boolean; flags: Record<string, unknown> } {
  try {
    const { values } = parseArgs({
      args,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    const { help, ...rest } = values as Record<string, unknown>;
    return { help: help === true, flags: Object.fromEntries(Object.entries(rest).map(([flag, value]) => [flagToKey(flag), value])) };
  } catch (error) {
    throw usageErrorOf(error, command);
  }
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Runs one CLI invocation and returns its exit code; never throws. `provided` is the running
 * service's database and config, when it runs a command sent to its admin socket.
 */
export async function runCli(argv: string[], io: CliIo, provided?: CommandContext): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(helpText());
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) {
    io.stderr(`unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)\n`);
    return EXIT.usage;
  }

  let db: Database | undefined;
  let opening: Promise<Database> | undefined;
  let closing: Promise<void> | undefined;
  let interrupted = false;
  let dataDir: string | undefined;
  const closeDb = () => (closing ??= opening ? opening.then((open) => open.close()).catch(() => {}) : Promise.resolve());
  // Ctrl-C while the embedded database is opening or open: let PGlite finish what it is doing and
  // close cleanly (that also releases its lock file) instead of dying mid-write.
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    io.stderr(`${command}: interrupted (${signal}); closing the database\n`);
    void closeDb().finally(() => process.exit(130));
  };
  try {
    const { help, flags } = parseCommandFlags(command, spec, spec.positional && args[0] && !args[0].startsWith('-') ? [`--${spec.positional}`, ...args] : args);
    if (help) {
      io.stdout(commandHelp(spec));
      return EXIT.ok;
    }
    // Bad flags are refused before the database is opened: quick, and no embedded data dir appears.
    if (spec.flags) parseFlags(spec.flags, flags);
    let context: CommandContext | undefined;
    if (spec.database && provided) {
      context = provided;
      db = provided.db;
    }
    else if (spec.database) {
      const config = loadConfig(io.env);
      dataDir = config.dataDir;
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      opening = openDatabase(config);
      db = await opening;
      const deps: EngineDeps = {
        db,
        machine: createProjectMachine(config.rules),
        rules: config.rules,
        countyCode: config.countyCode,
        now: () => new Date(),
      };
      context = { config, db, deps };
    }
    const outcome = await spec.run(flags, context);
    io.stdout(typeof outcome.output === 'string' ? outcome.output : `${JSON.stringify(outcome.output, null, 2)}\n`);
    if (outcome.failure) {
      io.stderr(`${oneLine(outcome.failure.line)}\n`);
      return outcome.failure.exitCode;
    }
    return EXIT.ok;
  } catch (error) {
    if (interrupted) return 130;
    if (error instanceof ConfigError) {
      io.stderr(`${error.problems.join('\n')}\n`);
      return EXIT.usage;
    }
    if (error instanceof DatabaseLockedError) {
      // The running service holds the embedded database: it runs the command for us.
      const remote = dataDir === undefined ? undefined : await sendAdminCommand(adminSocketPath(dataDir), argv);
      if (remote) {
        io.stdout(remote.stdout);
        io.stderr(remote.stderr);
        return remote.exitCode;
      }
      io.stderr(`${oneLine(error.message)}\n`);
      return EXIT.locked;
    }
    if (error instanceof UsageError) {
      io.stderr(`${command}: ${oneLine(error.message)}\n`);
      return EXIT.usage;
    }
    if (error instanceof CommandError || error instanceof AppError) {
      io.stderr(`${command}: ${oneLine(error.message)}\n`);
      return EXIT.failed;
    }
    const message =
      error instanceof AggregateError && !error.message
        ? error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))).join('; ')
        : error instanceof Error
          ? error.message || error.name
          : String(error);
    const where = db ? '' : ' (opening the database)';
    io.stderr(`${command}: failed${where}: ${oneLine(message)}\n`);
    return EXIT.failed;
  } finally {
    await closeDb();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && path.resolve(entry) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) {
  const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
  const code = await runCli(process.argv.slice(2), { env: process.env, stdout: write(process.stdout), stderr: write(process.stderr) });
  // Exit explicitly once the output is flushed: a stray timer or socket must never keep the CLI hanging.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
