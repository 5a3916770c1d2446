import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = path.join('tests', 'support', 'worker-child.ts');

export interface WorkerProcessEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  QUEUE_PREFIX: string;
  SMTP_URL: string;
  NOW: string;
  WORKERS?: string;
  ATTEMPTS?: string;
  BACKOFF_MS?: string;
  CONCURRENCY?: string;
  LOG_LEVEL?: string;
  LOCK_MS?: string;
  STALLED_MS?: string;
  REDELIVER_MS?: string;
  CRASH_SEED?: string;
  CLOCK?: string;
  RECONCILE_MS?: string;
  CRASH_P?: string;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the child wrote, for failure messages. */
  output: () => string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** kill -9. */
  kill9: () => Promise<void>;
}

/** Spawns tests/support/worker-child.ts (`node --import tsx`) and waits until it says ready. */
export async function startWorkerProcess(env: WorkerProcessEnv, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code, signal }) => reject(new Error(`worker child exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), readyTimeoutMs);
  try {
    await ready;
  } finally {
    clearTimeout(timer);
  }
  return {
    child,
    pid: child.pid!,
    output: () => output,
    exited,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
