import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../../src/infra/embedded-redis.ts';


export interface BenchRedis {
  url: string;
  port: number;
  pid: number;
  /** The settings it was started with, for the results. */
  settings: Record<string, string>;
  /** INFO memory as numbers (used_memory, used_memory_dataset, mem_aof_buffer, ...). */
  memory: () => Promise<Record<string, number>>;
  /** Any other command, on the bench's own client. */
  client: Redis;
  stop: () => Promise<void>;
}

/**
 * A redis-server of the benchmark's own on a free port, in a temporary directory: nothing else
 * writes to it, so INFO memory deltas are the benchmark's. AOF on (appendfsync everysec by default,
 * as DESIGN.md asks of production: AOF on, noeviction); no RDB snapshots.
 */
export async function startBenchRedis(options: { appendfsync?: 'always' | 'everysec' | 'no'; appendonly?: boolean } = {}): Promise<BenchRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundflow-bench-redis-'));
  const settings = {
    appendonly: options.appendonly === false ? 'no' : 'yes',
    appendfsync: options.appendfsync ?? 'everysec',
    save: '',
    'maxmemory-policy': 'noeviction',
  };
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', ...Object.entries(settings).flatMap(([key, value]) => [`--${key}`, value])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`redis-server exited before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`redis-server not ready in 10 s:\n${output}`)), 10_000).unref();
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  client.on('error', () => {});
  const version = /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
  return {
    url,
    port,
    pid: child.pid!,
    settings: { ...settings, version },
    client,
    memory: async () => {
      const text = await client.info('memory');
      const values: Record<string, number> = {};
      for (const line of text.split('\r\n')) {
        const [key, value] = line.split(':');
        if (key && value !== undefined && /^-?\d+(\.\d+)?$/.test(value)) values[key] = Number(value);
      }
      return values;
    },
    stop: async () => {
      client.disconnect();
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
