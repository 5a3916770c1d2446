import type { Logger } from 'pino';
import { runCli, type CommandContext } from '../main.ts';
import { adminSocketPath, listenForAdminCommands, type AdminSocket } from './admin-socket.ts';

/**
 * In the service: while it holds the embedded database, the CLI's commands (users:add, orgs:add,
 * demo:seed, ...) come through DATA_DIR/admin.sock and run here on the open database. With
 * PostgreSQL the CLI opens the database itself, so there is no socket.
 */
export async function serveCliCommands(context: CommandContext, log: Pick<Logger, 'warn' | 'error' | 'info'>): Promise<AdminSocket | undefined> {
  if (context.db.kind !== 'pglite') return undefined;
  try {
    return await listenForAdminCommands(
      adminSocketPath(context.config.dataDir),
      async (argv) => {
        let stdout = '';
        let stderr = '';
        const io = { env: {}, stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
        const exitCode = await runCli(argv, io, context);
        log.info({ command: argv[0], exitCode }, 'ran a CLI command for the admin socket');
        return { exitCode, stdout, stderr };
      },
      (error) => log.error({ err: error }, 'admin command failed'),
    );
  } catch (error) {
    log.warn({ err: error }, 'admin socket not available: the CLI cannot reach the embedded database while the service runs');
    return undefined;
  }
}
