import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';

export class MissingDependencyError extends Error {}

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Throws the one-line MissingDependencyError when redis-server is not on PATH. */
export function assertRedisServerInstalled(): void {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new MissingDependencyError(
      'Redis is needed: set REDIS_URL to a Redis >= 6.2, or install redis-server (Debian/Ubuntu: apt-get install redis-server) so fundflow can start its own',
    );
  }
}

export interface EmbeddedRedis {
  url: string;
  stop: () => Promise<void>;
}

/**
 * With no REDIS_URL, the service runs its own redis-server from PATH with AOF in DATA_DIR/redis,
 * so reminders survive a restart. A still-running one from an earlier start is reused.
 * It listens on 127.0.0.1 with a random password (requirepass), kept in DATA_DIR/redis/password
 * (mode 0600) and handed to redis-server on stdin, so neither `ps` nor a log shows it.
 */
export async function startEmbeddedRedis(dataDir: string): Promise<EmbeddedRedis> {
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const portFile = path.join(dir, 'port');
  const passwordFile = path.join(dir, 'password');
  if (fs.existsSync(portFile) && fs.existsSync(passwordFile)) {
    const url = `redis://:${fs.readFileSync(passwordFile, 'utf8').trim()}@127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
    if (await answersPing(url)) return { url, stop: async () => {} };
  }
  assertRedisServerInstalled();
  const port = await freePort();
  const password = randomBytes(24).toString('hex');
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  // `redis-server -` reads its configuration from stdin: the password never appears in argv.
  const settings = {
    port: String(port), bind: '127.0.0.1', dir: JSON.stringify(dir), appendonly: 'yes', appendfsync: 'everysec',
    save: '""', 'maxmemory-policy': 'noeviction', daemonize: 'no', logfile: JSON.stringify(path.join(dir, 'redis.log')),
    requirepass: password,
  };
  const child: ChildProcess = spawn('redis-server', ['-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin!.end(Object.entries(settings).map(([key, value]) => `${key} ${value}`).join('\n') + '\n');
  const url = `redis://:${password}@127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await answersPing(url)) {
      fs.writeFileSync(portFile, String(port));
      return {
        url,
        stop: async () => {
          fs.rmSync(portFile, { force: true });
          if (child.exitCode === null) {
            child.kill('SIGTERM');
            await new Promise((resolve) => child.once('exit', resolve));
          }
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new MissingDependencyError(`redis-server did not start on port ${port}; see ${path.join(dir, 'redis.log')}`);
}
