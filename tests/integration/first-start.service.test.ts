import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/infra/embedded-redis.ts';
import { hashSecret } from '../../src/store/sessions.store.ts';
import { describeFirstAdmin, prepareFirstAdmin } from '../../src/usecases/auth/first-admin.usecase.ts';
import { signInWithLink } from '../../src/usecases/auth/sign-in.usecase.ts';
import { localMailer } from '../../src/mail/mailer.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { pino } from 'pino';
import { loadConfig } from '../../config/env.schema.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { serveCliCommands } from '../../src/cli/remote/serve-cli.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { eventually } from '../support/test-workers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-svc-'));
const LINK = /(http:\/\/\S+\/sign-in\/[A-Za-z0-9_-]{43})/;

/** The real service (`tsx src/main.ts`) on a free port, its own embedded database and redis-server in DATA_DIR, as `npm start` runs it. */
class Service {
  output = '';
  private child: ChildProcess | undefined;
  constructor(readonly port: number, private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' };
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_URL']) delete env[key];
    this.output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    await eventually(async () => fs.existsSync(path.join(dataDir, 'admin.sock')) && (await fetch(`http://127.0.0.1:${this.port}/healthz`).then((r) => r.ok).catch(() => false)), 'the service to answer', 480_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function runCliProcess(args: string[], dir = dataDir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 400_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function signInByLink(base: string, link: string) {
  const url = new URL(link);
  const page = await fetch(`${base}${url.pathname}`);
  const html = await page.text();
  const nonceCookie = (page.headers.getSetCookie().find((line) => line.startsWith('ff_sign_in=')) ?? '').split(';')[0]!;
  const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const post = await fetch(`${base}${url.pathname}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: nonceCookie },
    body: new URLSearchParams({ nonce }).toString(),
  });
  return { pageStatus: page.status, postStatus: post.status, cookie: (post.headers.getSetCookie().find((line) => line.startsWith('ff_session=')) ?? '').split(';')[0]! };
}

describe('nobody needs the CLI to begin (the real service)', () => {
  let service: Service;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = new Service(port, { ADMIN_EMAIL: 'First.Admin@yc.test' });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an empty database prints one line with a sign-in link for ADMIN_EMAIL; the next start prints a fresh one; the link signs the admin in', async () => {
    await service.start();
    const first = service.output.split('\n').filter((line) => line.includes('/sign-in/'));
    expect(first).toHaveLength(1);
    expect(first[0]).toContain('first administrator first.admin@yc.test');
    const firstLink = LINK.exec(first[0]!)![1]!;
    await service.stop();

    await service.start();
    const second = service.output.split('\n').filter((line) => line.includes('/sign-in/'));
    expect(second).toHaveLength(1);
    const secondLink = LINK.exec(second[0]!)![1]!;
    expect(secondLink).not.toBe(firstLink);

    const signedIn = await signInByLink(base, secondLink);
    expect(signedIn).toMatchObject({ pageStatus: 200, postStatus: 303 });
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: signedIn.cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).user).toMatchObject({ email: 'first.admin@yc.test', role: 'admin', orgName: 'fundflow 运维' });
  }, 1_200_000);

  it('while the service holds the embedded database, the CLI runs orgs:add, users:add and demo:seed through it', async () => {
    const org = await runCliProcess(['orgs:add', '--name', '阳城县测试镇人民政府', '--kind', 'unit']);
    expect(org.stderr).toBe('');
    expect(org.code).toBe(0);
    expect(JSON.parse(org.stdout)).toMatchObject({ name: '阳城县测试镇人民政府', kind: 'unit' });

    const user = await runCliProcess(['users:add', '--email', 'applicant@yc.test', '--role', 'applicant', '--org', '阳城县测试镇人民政府']);
    expect(user.code).toBe(0);
    const added = JSON.parse(user.stdout) as { token: string; email: string };
    expect(added.email).toBe('applicant@yc.test');
    // The printed token works against the running service, and the service printed no secret of it.
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${added.token}` } });
    expect(((await me.json()) as any).user).toMatchObject({ email: 'applicant@yc.test', role: 'applicant' });
    expect(service.output).not.toContain(added.token);

    const bad = await runCliProcess(['users:add', '--email', 'applicant@yc.test', '--role', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role');

    const seeded = await runCliProcess(['demo:seed']);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    const users = (JSON.parse(seeded.stdout) as { users: { email: string }[] }).users;
    expect(users.map((u) => u.email)).toContain('center@demo.fundflow.test');

    // A demo user signs in by the emailed link, from the local mailbox.
    const sent = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'center@demo.fundflow.test' }) });
    expect(sent.status).toBe(202);
    const link = await eventually(async () => LINK.exec(await (await fetch(`${base}/dev/mail`)).text())?.[1], 'the sign-in mail in /dev/mail');
    const signedIn = await signInByLink(base, link);
    expect(signedIn.postStatus).toBe(303);
    const center = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: signedIn.cookie } });
    expect(((await center.json()) as any).user).toMatchObject({ email: 'center@demo.fundflow.test', role: 'center' });
    expect(fs.statSync(path.join(dataDir, 'admin.sock')).mode & 0o777).toBe(0o600);
  }, 1_200_000);
});

describe('the first administrator (PostgreSQL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('without ADMIN_EMAIL says how to set it; with it creates the admin once, a fresh link each time until they sign in, then nothing', async () => {
    const now = new Date('2026-06-01T01:00:00Z');
    const none = await prepareFirstAdmin(database.db, { adminEmail: undefined, publicUrl: 'http://localhost:3000', now });
    expect(none.kind).toBe('needs-admin-email');
    expect(describeFirstAdmin(none)).toContain('ADMIN_EMAIL=');

    const first = await prepareFirstAdmin(database.db, { adminEmail: 'boss@yc.test', publicUrl: 'http://localhost:3000', now });
    const again = await prepareFirstAdmin(database.db, { adminEmail: 'boss@yc.test', publicUrl: 'http://localhost:3000', now });
    expect(first.kind).toBe('link');
    expect(again.kind).toBe('link');
    if (first.kind !== 'link' || again.kind !== 'link') return;
    expect(again.link).not.toBe(first.link);
    expect(first.expiresAt.getTime() - now.getTime()).toBe(15 * 60_000);
    expect(describeFirstAdmin(first)).toContain('2026-06-01 09:15');
    expect((await database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`))[0]!.n).toBe(1);

    const token = first.link.split('/sign-in/')[1]!;
    const deps = { db: database.db, mailer: localMailer(database.db), now: () => now, publicUrl: 'http://localhost:3000', session: { idleMs: 3_600_000, absoluteMs: 36_000_000 } };
    expect(await signInWithLink(deps, token, null)).toBeDefined();
    expect((await database.db.query(`SELECT 1 FROM sign_in_challenges WHERE token_hash = $1 AND used_at IS NOT NULL`, [hashSecret(token)])).length).toBe(1);
    expect((await prepareFirstAdmin(database.db, { adminEmail: 'boss@yc.test', publicUrl: 'http://localhost:3000', now })).kind).toBe('nothing');
    // Another address on a database with users: nothing is created.
    expect((await prepareFirstAdmin(database.db, { adminEmail: 'other@yc.test', publicUrl: 'http://localhost:3000', now })).kind).toBe('nothing');
    expect(await database.db.query(`SELECT 1 FROM users WHERE email = 'other@yc.test'`)).toHaveLength(0);
  });
});

describe('the CLI and a process holding the embedded database', () => {
  const heldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-held-'));
  afterAll(() => fs.rmSync(heldDir, { recursive: true, force: true }));

  it('sends its command to the holder, which runs it on its open database; without the holder listening it says the database is in use', async () => {
    const config = loadConfig({ DATA_DIR: heldDir });
    const db = await openDatabase(config);
    const deps = { db, machine: createProjectMachine(config.rules), rules: config.rules, countyCode: 'YC', now: () => new Date() };
    const socket = await serveCliCommands({ config, db, deps }, pino({ level: 'silent' }));
    try {
      expect(socket).toBeDefined();
      const added = await runCliProcess(['orgs:add', '--name', '阳城县某协会', '--kind', 'unit'], heldDir);
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      expect((await db.query<{ name: string }>(`SELECT name FROM organisations WHERE kind = 'unit'`)).map((row) => row.name)).toEqual(['阳城县某协会']);
      await socket!.close();
      const refused = await runCliProcess(['orgs:list'], heldDir);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('in use by process');
    } finally {
      await socket?.close();
      await db.close();
    }
  }, 900_000);
});
