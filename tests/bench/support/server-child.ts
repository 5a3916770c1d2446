import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchServerStats } from '../bench-server.ts';

const SERVER_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench-server.ts');
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ServerChild {
  pid: number;
  baseUrl: string;
  reset: () => Promise<void>;
  stats: () => Promise<BenchServerStats>;
  stop: () => Promise<void>;
}

/** Starts tests/bench/bench-server.ts in a child process (node --import tsx), optionally under --cpu-prof. */
export async function startServerChild(options: {
  databaseUrl: string;
  poolSize: number;
  tokenCacheSeconds: number;
  cpuProfileDir?: string;
  /** Lifecycle rules for the server (parsed by lifecycleRulesSchema there); absent: the defaults. */
  rules?: Record<string, unknown>;
  /** Required materials for the server (parsed by requiredMaterialsSchema there); absent: the defaults. */
  requiredMaterials?: Record<string, unknown>;
}): Promise<ServerChild> {
  const nodeArgs: string[] = [];
  if (options.cpuProfileDir) {
    fs.mkdirSync(options.cpuProfileDir, { recursive: true });
    // Default names (pid and thread id in them): tsx's loader runs in a worker thread that writes its own profile.
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SERVER_FILE], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_SERVER_DATABASE_URL: options.databaseUrl,
      BENCH_SERVER_POOL: String(options.poolSize),
      BENCH_SERVER_TOKEN_CACHE_SECONDS: String(options.tokenCacheSeconds),
      ...(options.rules ? { BENCH_SERVER_RULES: JSON.stringify(options.rules) } : {}),
      ...(options.requiredMaterials ? { BENCH_SERVER_REQUIRED_MATERIALS: JSON.stringify(options.requiredMaterials) } : {}),
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('bench server did not start within 120 s')), 120_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        reject(new Error(`bench server printed ${line}`));
      }
    });
    void exited.then((code) => reject(new Error(`bench server exited with ${code} before listening`)));
  });

  const ask = <T>(type: string, answer: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: { type: string } & Record<string, unknown>) => {
        if (message.type !== answer) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.send({ type }, (error) => error && reject(error));
    });

  return {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    reset: async () => {
      await ask('reset', 'reset-done');
    },
    stats: async () => (await ask<{ stats: BenchServerStats }>('stats', 'stats')).stats,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
