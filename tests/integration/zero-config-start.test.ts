import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/infra/embedded-redis.ts';

/**
 * The zero-configuration start (issue 15) and the safe defaults of the start (issue 11), through the
 * real process `npm start` runs (tsx src/main.ts), configured only by its environment as the service
 * reads it: no test flag, no test app.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/**
 * The service itself runs under tsx's loader without the tsx CLI in between: under load the CLI
 * SIGKILLs a child that does not confirm a relayed SIGTERM within 30 ms, which would hide the drain.
 */
const SERVICE_ARGS = ['--import', 'tsx', 'src/main.ts'];
/** Only what a shell gives: no DATABASE_URL, REDIS_URL, SMTP_URL, HOST, NODE_ENV. */
const BARE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() };

/** An address of this machine that is not loopback: what a client on the network connects to. */
const externalAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;

interface Service {
  child: ChildProcess;
  port: number;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts the service and resolves once it logs that it listens and its workers started. */
async function startService(env: Record<string, string>): Promise<Service> {
  const port = Number(env.PORT);
  const child = spawn(process.execPath, SERVICE_ARGS, { cwd: ROOT, env: { ...BARE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"workers started"')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the service exited (${code}) before it was ready:\n${output}`)));
  });
  return {
    child,
    port,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the start to its end (it is expected to refuse) and answers its exit code and stderr. */
function runToFailure(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, SERVICE_ARGS, { cwd: ROOT, env: { ...BARE_ENV, ...env }, encoding: 'utf8', timeout: 280_000 });
  return { status: result.status, stderr: result.stderr };
}

/** Polls until `check` answers true; the bound is on attempts (each waits for a real answer), not on time. */
async function eventually(check: () => Promise<boolean>, attempts = 300): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the condition never held');
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundflow-zero-config-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the zero-configuration start', () => {
  it('with nothing set: PGlite and its own redis-server (with a password nobody sees), ready, local mail listed on loopback only, bound to 127.0.0.1', async () => {
    // Demo data first (the CLI, on the same DATA_DIR), so the workers have review emails to write.
    const seeded = spawnSync(process.execPath, [TSX, 'src/cli/main.ts', 'demo:seed'], { cwd: ROOT, env: { ...BARE_ENV, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(seeded.status, seeded.stderr).toBe(0);
    const port = await freePort();
    const service = await startService({ DATA_DIR: dataDir, PORT: String(port) });
    try {
      const base = `http://127.0.0.1:${port}`;
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status, await ready.clone().text()).toBe(200);
      expect(((await ready.json()) as { checks: unknown }).checks).toEqual([{ name: 'database', ok: true }, { name: 'redis', ok: true }]);

      // Local mail is listed, to a loopback client.
      let items: { subject: string; text_body: string }[] = [];
      await eventually(async () => {
        items = ((await fetch(`${base}/dev/mail`, { headers: { accept: 'application/json' } }).then((r) => r.json())) as { items: typeof items }).items;
        return items.length > 0;
      });
      expect(items.some((mail) => mail.subject.startsWith('【阳城县奖励资金】待办：'))).toBe(true);

      // Bound to loopback: the network cannot even connect.
      expect(externalAddress, 'this test needs a non-loopback IPv4 address').toBeDefined();
      expect(await connects('127.0.0.1', port)).toBe(true);
      expect(await connects(externalAddress!, port)).toBe(false);

      // The embedded redis-server asks for a password; the start log shows the URL without it, and no argv holds it.
      const password = fs.readFileSync(path.join(dataDir, 'redis', 'password'), 'utf8').trim();
      const redisPort = Number(fs.readFileSync(path.join(dataDir, 'redis', 'port'), 'utf8').trim());
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      const anonymousPing = await new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port: redisPort }, () => socket.write('PING\r\n'));
        socket.once('data', (reply) => {
          socket.destroy();
          resolve(reply.toString());
        });
        socket.once('error', reject);
      });
      expect(anonymousPing).toMatch(/^-NOAUTH/);
      expect(service.output()).toContain(`"redis":"redis://:***@127.0.0.1:${redisPort}"`);
      expect(service.output()).not.toContain(password);
      const argvs = fs
        .readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .map((pid) => {
          try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          } catch {
            return '';
          }
        });
      expect(argvs.length).toBeGreaterThan(1);
      expect(argvs.filter((argv) => argv.includes(password))).toEqual([]);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  }, 300_000);

  it('HOST=0.0.0.0 (development): the network reaches the API but not /dev/mail or /metrics, whatever X-Forwarded-For says', async () => {
    expect(externalAddress).toBeDefined();
    const port = await freePort();
    const service = await startService({ DATA_DIR: dataDir, PORT: String(port), HOST: '0.0.0.0' });
    try {
      const remote = `http://${externalAddress}:${port}`;
      expect((await fetch(`${remote}/healthz`)).status).toBe(200);
      const mail = await fetch(`${remote}/dev/mail`, { headers: { accept: 'application/json', 'x-forwarded-for': '127.0.0.1' } });
      expect(mail.status).toBe(403);
      expect(await mail.text()).not.toContain('【阳城县奖励资金】待办：');
      expect((await fetch(`${remote}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } })).status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${port}/dev/mail`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  }, 300_000);

  it('NODE_ENV=production never mounts /dev/mail, even with DEV_MAIL_REMOTE=true', async () => {
    const port = await freePort();
    const production = await startService({ DATA_DIR: dataDir, PORT: String(port), NODE_ENV: 'production', HOST: '0.0.0.0', DEV_MAIL_REMOTE: 'true' });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/dev/mail`)).status).toBe(404);
      expect((await fetch(`http://${externalAddress}:${port}/dev/mail`)).status).toBe(404);
    } finally {
      expect(await production.stop()).toBe(0);
    }
  }, 300_000);

  it('a missing redis-server gives its one line', () => {
    const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'fundflow-no-redis-'));
    const { status, stderr } = runToFailure({ DATA_DIR: path.join(emptyPath, 'data'), PATH: emptyPath });
    fs.rmSync(emptyPath, { recursive: true, force: true });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'fundflow: Redis is needed: set REDIS_URL to a Redis >= 6.2, or install redis-server (Debian/Ubuntu: apt-get install redis-server) so fundflow can start its own',
    ]);
  }, 300_000);

  it('three bad settings at once give three lines', () => {
    const { status, stderr } = runToFailure({ DATA_DIR: dataDir, PORT: 'eighty', LOG_LEVEL: 'loud', COUNTY_CODE: 'y' });
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => line.split('=')[0])).toEqual(['config: PORT', 'config: LOG_LEVEL', 'config: COUNTY_CODE']);
  }, 300_000);
});
