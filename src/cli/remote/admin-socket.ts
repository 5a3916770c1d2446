import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The embedded database (PGlite) is one process's: while the service runs, the CLI cannot open it.
 * The service then takes the CLI's commands on a unix socket in DATA_DIR, readable and writable by
 * its own OS user only (0600), and runs them on its open database. One JSON line each way.
 */
export const adminSocketPath = (dataDir: string) => path.join(dataDir, 'admin.sock');

export interface RemoteOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const MAX_REQUEST_BYTES = 64 * 1024;

export interface AdminSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** Listens on `socketPath` (replacing a stale one: the caller holds the database lock) and runs each request's argv. */
export async function listenForAdminCommands(socketPath: string, run: (argv: string[]) => Promise<RemoteOutcome>, onError: (error: unknown) => void): Promise<AdminSocket> {
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) return void socket.destroy();
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      socket.pause();
      void answer(buffer.slice(0, end)).then((outcome) => socket.end(`${JSON.stringify(outcome)}\n`));
    });
  });
  const answer = async (line: string): Promise<RemoteOutcome> => {
    try {
      const request = JSON.parse(line) as { argv?: unknown };
      if (!Array.isArray(request.argv) || !request.argv.every((arg) => typeof arg === 'string')) throw new Error('argv must be a list of strings');
      return await run(request.argv as string[]);
    } catch (error) {
      onError(error);
      return { exitCode: 1, stdout: '', stderr: `the service could not run the command: ${(error as Error).message}\n` };
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(socketPath, { force: true });
      }),
  };
}

/** Sends argv to the running service; undefined when nothing answers on the socket. */
export async function sendAdminCommand(socketPath: string, argv: string[]): Promise<RemoteOutcome | undefined> {
  if (!fs.existsSync(socketPath)) return undefined;
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ argv })}\n`));
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('error', () => resolve(undefined));
    socket.on('close', () => {
      try {
        const outcome = JSON.parse(reply) as RemoteOutcome;
        resolve(typeof outcome.exitCode === 'number' ? outcome : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}
