import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCommand } from '../../src/cli/backup.command.ts';
import { runCli } from '../../src/cli/main.ts';
import { restoreCommand } from '../../src/cli/restore.command.ts';
import { smtpMailer } from '../../src/mail/mailer.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo, PATHS } from '../support/drive.ts';
import { TestRedisServer } from '../support/redis-server.ts';
import { dueDateAfter, LOAD_DEADLINES, pendingJobIds, planLoad } from '../support/reminder-load.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';

/**
 * The backup and restore drill (issue 11, durability item 6), as an operator runs it: `cli backup`
 * of a database with projects in every state and reminders pending, `cli restore` into a fresh
 * database, `cli audit:verify` on it, then workers on an empty redis-server of the test's own:
 * the reconciler rebuilds the queue from PostgreSQL and the pending reminders fire (test clock).
 * README: "Backup and restore drill".
 */

const STATES = Object.keys(PATHS);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundflow-backup-'));

async function cli(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let source: TestDatabase;
let target: TestDatabase;

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

describe('backup and restore drill, PostgreSQL (pg_dump custom format)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(source.db);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('backs up every state with reminders pending, restores into a fresh database: chains verify, the reconciler rebuilds Redis, reminders fire', async () => {
    const projects = [];
    for (const state of STATES) projects.push({ state, ...(await driveTo(app, state)) });
    const correcting = projects.find((project) => project.state === 'deviated-corrected.correcting')!;
    const load = await planLoad(source.db, [correcting.id], { perDeadline: 2, dueDate: dueDateAfter(app.clock.now(), 10), planNow: app.clock.now() });
    expect(load.ids).toHaveLength(2 * LOAD_DEADLINES.length);
    const stateOf = async (db: TestDatabase) =>
      db.db.query<{ id: string; state: string; version: number }>(`SELECT id, state, version FROM projects ORDER BY id`);
    const before = await stateOf(source);
    expect(new Set(before.map((row) => row.state)).size).toBe(STATES.length);

    const file = path.join(dir, 'fundflow.pgdump');
    const backup = await cli(['backup', file], { DATABASE_URL: source.url });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.json()).toMatchObject({ backend: 'pg', format: 'pg_dump custom', projects: STATES.length });
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    // A second backup to the same file is refused: a backup never overwrites one by accident.
    expect((await cli(['backup', file], { DATABASE_URL: source.url })).code).toBe(1);

    const restore = await cli(['restore', file], { DATABASE_URL: target.url });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.json()).toMatchObject({ backend: 'pg', projects: STATES.length, audit: { ok: true, projectsChecked: STATES.length } });
    const verify = await cli(['audit:verify'], { DATABASE_URL: target.url });
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.json()).toMatchObject({ ok: true, projectsChecked: STATES.length, brokenProjects: 0 });
    expect(await stateOf(target)).toEqual(before);
    // Restoring over data is refused without --force: a restore replaces everything.
    const again = await cli(['restore', file], { DATABASE_URL: target.url });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/--force/);

    // A fresh, empty redis-server: nothing of the queue survives but what PostgreSQL knows.
    const redis = new TestRedisServer();
    const sink = new SmtpSink();
    const mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
    await redis.start();
    const restored = await startTestApp(target.db);
    restored.clock.set(app.clock.now());
    const workers = await startTestWorkers(restored, mailer, { names: ['reminders'], redisUrl: redis.url });
    try {
      expect(await workers.reconcile()).toMatchObject({ planned: load.ids.length, recreated: load.ids.length });
      expect(await pendingJobIds(workers.queues.reminders)).toEqual(load.ids);
      restored.clock.set(new Date(load.lastFireAt.getTime() + 3_600_000));
      expect(await workers.reconcile()).toMatchObject({ planned: load.ids.length, recreated: 0, promoted: load.ids.length });
      const sent = async () => {
        const rows = await target.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reminders WHERE id = ANY($1::text[]) AND status = 'sent'`, [load.ids]);
        return rows[0]!.n === load.ids.length;
      };
      await eventually(sent, 'every pending reminder sent from the restored database', 30_000);
      const messageIds = sink.received.map((mail) => mail.messageId);
      const reminderMails = messageIds.filter((id) => load.ids.some((reminderId) => id.startsWith(`<${reminderId}.`)));
      expect(reminderMails.length).toBeGreaterThanOrEqual(load.ids.length);
      expect(new Set(reminderMails).size).toBe(reminderMails.length);
    } finally {
      await workers.stop();
      await restored.close();
      mailer.close();
      await sink.stop();
      await redis.destroy();
    }
  }, 90_000);
});

describe('backup and restore drill, embedded PGlite (its own datadir dump)', () => {
  it('backs up a data directory and restores it: the data of the backup comes back in a new data directory, the old one kept aside', async () => {
    // PGlite creates a database slowly (initdb in WebAssembly): this drill creates one, backs it
    // up, changes it, and restores the backup over it with --force, which is the same path as a
    // restore into a fresh DATA_DIR (PGlite starts on the dump in a new PGDATA).
    const dataDir = path.join(dir, 'embedded');
    const file = path.join(dir, 'fundflow.pglite.tar.gz');
    const db = await openDatabase({ databaseUrl: undefined, databasePoolSize: 1, dataDir });
    const app = await startTestApp(db);
    const ids: string[] = [];
    try {
      for (const state of ['approved', 'deviated-corrected.correcting', 'rejected']) ids.push((await driveTo(app, state)).id);
      const backup = await backupCommand({ config: { databaseUrl: undefined }, db }, { file });
      expect(backup).toMatchObject({ backend: 'pglite', format: 'pglite datadir tar.gz', projects: 3 });
      expect([...fs.readFileSync(file).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      // Cross-backend restores are refused with a sentence that says what to do.
      await expect(restoreCommand({ config: { databaseUrl: target.url }, db: target.db }, { file })).rejects.toThrow(/embedded database: unset DATABASE_URL/);
      await driveTo(app, 'proposed.draft');
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM projects'))[0]!.n).toBe(4);
    } finally {
      await app.close();
      await db.close();
    }

    const refused = await cli(['restore', file], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--force/);
    const restore = await cli(['restore', file, '--force'], { DATA_DIR: dataDir });
    expect(restore.code, restore.stderr).toBe(0);
    const report = restore.json();
    expect(report).toMatchObject({ backend: 'pglite', projects: 3, audit: { ok: true, projectsChecked: 3, brokenProjects: 0 } });
    // The data that was replaced is kept aside, never deleted.
    expect(report.previousDataMovedTo).toMatch(/pgdata\.before-restore-/);
    expect(fs.existsSync(path.join(report.previousDataMovedTo, 'PG_VERSION'))).toBe(true);
    // The project added after the backup is gone: the data is the backup's.
  }, 240_000);
});
