import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/infra/embedded-redis.ts';


/**
 * A redis-server of the test's own, on a free port, with AOF (fsync always) in a temporary
 * directory: the fault tests stop, restart and flush it without touching the shared Redis.
 */
export class TestRedisServer {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundflow-redis-'));
  port = 0;
  private child: ChildProcess | undefined;
  private log = '';

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server (on the same port and directory when it ran before) and waits until it answers. */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    this.log = '';
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always',
        '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.log += chunk.toString();
        if (this.log.includes('Ready to accept connections')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${this.log}`)));
    });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`redis-server not ready in 10 s:\n${this.log}`)), 10_000).unref());
    await Promise.race([ready, timeout]);
  }

  /** A client for the test's own checks (the caller disconnects it). */
  client(): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: 3 });
    client.on('error', () => {});
    return client;
  }

  /** SHUTDOWN: Redis fsyncs its AOF and exits; waits for the process to be gone. */
  async shutdown(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const client = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    await client.shutdown().catch(() => undefined);
    client.disconnect();
    await exited;
  }

  /** Stops and starts again on the same port and directory: the data comes back from the AOF. */
  async restart(): Promise<void> {
    await this.shutdown();
    await this.start();
  }

  /** Shuts down and removes the directory. */
  async destroy(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const child = this.child;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Files of the append-only log (Redis 7 keeps a manifest and segments in appendonlydir). */
  aofFiles(): string[] {
    const aofDir = path.join(this.dir, 'appendonlydir');
    return fs.existsSync(aofDir) ? fs.readdirSync(aofDir) : [];
  }
}
