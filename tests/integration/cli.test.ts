import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { auditVerifyCommand } from '../../src/cli/audit-verify.command.ts';
import { UsageError } from '../../src/cli/cli-errors.ts';
import { demoSeedCommand } from '../../src/cli/demo-seed.command.ts';
import { runCli } from '../../src/cli/main.ts';
import { addOrganisationCommand, listOrganisationsCommand } from '../../src/cli/orgs.command.ts';
import { renderMermaid } from '../../src/cli/state-diagram.ts';
import { issueTokenCommand } from '../../src/cli/tokens.command.ts';
import { addUserCommand } from '../../src/cli/users.command.ts';
import { STANDARD_ORGANISATIONS } from '../../src/admin/standard-directory.ts';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import type { Database } from '../../src/store/database.ts';
import { openPgliteDatabase } from '../../src/store/pglite-database.ts';
import { findUserByToken } from '../../src/store/users.store.ts';
import { TestClock } from '../support/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let database: TestDatabase;
let deps: EngineDeps;
/** The embedded database the lock test holds, as the running service would. */
const lockedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundflow-cli-'));
let holder: Promise<Database> | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = new TestClock('2024-10-08T02:00:00Z');
  deps = { db: database.db, machine: createProjectMachine(DEFAULT_LIFECYCLE_RULES), rules: DEFAULT_LIFECYCLE_RULES, countyCode: 'YC', now: clock.now };
});
afterAll(async () => {
  await database?.drop();
  await holder?.then((db) => db.close()).catch(() => {});
  fs.rmSync(lockedDir, { recursive: true, force: true });
});

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as its own process, `tsx src/cli/main.ts ...` as `npm run cli` runs it, with its own
 * environment; killed if it hangs. `node --import tsx` is tsx without its wrapper process (and
 * without npx's start-up), which keeps this file fast on a loaded 2-core machine.
 */
function runCliProcess(args: string[], env: Record<string, string | undefined>): Promise<ProcessResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** Runs the CLI in this process (same dispatch, config and exit codes as the binary). */
async function runInProcess(argv: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('users, tokens and organisations', () => {
  it('users:add puts staff in their standing organisation and prints a token that authenticates', async () => {
    const added = await addUserCommand(database.db, { email: 'Reviewer@YC.test', name: '审核员', role: 'center' });
    expect(added).toMatchObject({ email: 'reviewer@yc.test', role: 'center', orgName: STANDARD_ORGANISATIONS[0]!.name, locale: 'zh-CN' });
    expect(added.token).toMatch(/^ff_/);
    const user = await findUserByToken(database.db, added.token);
    expect(user).toMatchObject({ id: added.id, role: 'center', org_id: added.orgId });

    const again = await issueTokenCommand(database.db, { email: 'reviewer@yc.test' });
    expect(again.token).not.toBe(added.token);
    expect((await findUserByToken(database.db, again.token))?.id).toBe(added.id);
    expect((await findUserByToken(database.db, added.token))?.id).toBe(added.id);
  });

  it('users:add takes an applicant organisation by name or id and refuses bad flags naming the flag', async () => {
    const unit = await addOrganisationCommand(database.db, { name: '阳城县北留镇人民政府', kind: 'unit', creditCode: '12140522MB1234567J' });
    const byName = await addUserCommand(database.db, { email: 'a1@yc.test', role: 'applicant', org: '阳城县北留镇人民政府', locale: 'en' });
    const byId = await addUserCommand(database.db, { email: 'a2@yc.test', role: 'applicant', org: unit.id });
    expect([byName.orgId, byId.orgId]).toEqual([unit.id, unit.id]);
    expect(byName).toMatchObject({ name: 'a1', locale: 'en' });
    expect((await listOrganisationsCommand(database.db)).map((org) => org.name)).toContain('阳城县北留镇人民政府');

    const refusal = async (work: Promise<unknown>) => {
      const error = await work.then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    };
    expect(await refusal(addUserCommand(database.db, { email: 'a3@yc.test', role: 'applicant' }))).toMatch(/^--org: is required/);
    expect(await refusal(addUserCommand(database.db, { email: 'a3@yc.test', role: 'boss' as never }))).toMatch(/^--role: must be one of/);
    expect(await refusal(addUserCommand(database.db, { email: 'not-an-email', role: 'center' }))).toMatch(/^--email:/);
    expect(await refusal(addUserCommand(database.db, { email: 'a3@yc.test', role: 'applicant', org: '阳城县财政局' }))).toMatch(
      /^--org: an applicant belongs to a unit or an enterprise/,
    );
    expect(await refusal(addUserCommand(database.db, { email: 'a3@yc.test', role: 'applicant', org: 'nowhere' }))).toMatch(/^--org: no organisation/);
    expect(await refusal(addOrganisationCommand(database.db, { name: 'x', kind: 'unit', creditCode: '123' }))).toMatch(/^--credit-code:/);
    expect(await refusal(issueTokenCommand(database.db, { email: 'nobody@yc.test' }))).toMatch(/^--email: no user/);
  });

  it('gives one stderr line and exit 2 for bad flags, unknown commands and bad configuration', async () => {
    const env = { DATABASE_URL: database.url };
    const badRole = await runInProcess(['users:add', '--email', 'b@yc.test', '--role', 'boss'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.stdout).toBe('');
    expect(lines(badRole.stderr)).toEqual([expect.stringMatching(/^users:add: --role: must be one of/)]);
    const unknownFlag = await runInProcess(['orgs:list', '--verbose'], env);
    expect([unknownFlag.code, lines(unknownFlag.stderr)]).toEqual([2, [expect.stringMatching(/--verbose: unknown flag/)]]);
    const missingValue = await runInProcess(['tokens:issue', '--email'], env);
    expect([missingValue.code, lines(missingValue.stderr)]).toEqual([2, [expect.stringMatching(/--email: needs a value/)]]);
    const unknownCommand = await runInProcess(['users:delete'], env);
    expect(unknownCommand.code).toBe(2);
    const badConfig = await runInProcess(['orgs:list'], { ...env, COUNTY_CODE: 'yc1' });
    expect([badConfig.code, lines(badConfig.stderr)]).toEqual([2, [expect.stringMatching(/^config: COUNTY_CODE="yc1" is invalid/)]]);
    const duplicate = await runInProcess(['users:add', '--email', 'reviewer@yc.test', '--role', 'center'], env);
    expect([duplicate.code, lines(duplicate.stderr)]).toEqual([1, [expect.stringMatching(/already exists; run tokens:issue/)]]);
  });
});

describe('demo:seed and audit:verify', () => {
  let seeded: Awaited<ReturnType<typeof demoSeedCommand>>;

  it('demo:seed drives projects through the engine into every kind of state, and a rerun adds nothing', async () => {
    seeded = await demoSeedCommand(deps);
    expect(seeded.users.map((user) => user.role).sort()).toEqual(
      ['admin', 'applicant', 'applicant', 'applicant', 'authority', 'center', 'evaluator', 'finance', 'inspector', 'leadership', 'supervisor'].sort(),
    );
    for (const user of seeded.users) expect((await findUserByToken(database.db, user.token))?.id).toBe(user.id);
    const states = new Set(seeded.projects.map((project) => project.state.split('.')[0]));
    for (const state of ['proposed', 'approved', 'executing', 'inspected', 'deviated-corrected', 'suspended', 'evaluated', 'closed', 'rejected', 'withdrawn']) {
      expect(states, state).toContain(state);
    }
    expect(seeded.projects.map((project) => project.state)).toEqual(expect.arrayContaining(['proposed.draft', 'proposed.review']));
    expect(new Set(seeded.projects.map((project) => project.item)).size).toBeGreaterThanOrEqual(10);
    const channels = await database.db.query<{ channel: string }>('SELECT DISTINCT channel FROM project_events');
    expect(channels).toEqual([{ channel: 'cli' }]);

    const rerun = await demoSeedCommand(deps);
    expect(rerun.projects.filter((project) => project.created)).toEqual([]);
    expect(rerun.fund).toMatchObject({ id: seeded.fund.id, created: false });
    const [count] = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM projects');
    expect(count!.n).toBe(seeded.projects.length);
  });

  it('audit:verify passes on the intact trail, then names exactly the tampered project and seq', async () => {
    const intact = await auditVerifyCommand(database.db);
    expect(intact).toMatchObject({ ok: true, projectsChecked: seeded.projects.length, brokenProjects: 0, firstBroken: null });
    expect(intact.eventsChecked).toBeGreaterThan(seeded.projects.length * 3);

    // A DBA edits one event behind the append-only trigger's back.
    const victim = seeded.projects.find((project) => project.state === 'closed')!;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      const updated = await client.query(`UPDATE project_events SET reason = 'forged' WHERE project_id = $1 AND seq = 3`, [victim.id]);
      expect(updated.rowCount).toBe(1);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }

    const broken = await auditVerifyCommand(database.db);
    expect(broken).toMatchObject({
      ok: false,
      brokenProjects: 1,
      firstBroken: { projectId: victim.id, code: victim.code, seq: 3, problem: expect.stringContaining('altered') },
    });
    const other = seeded.projects.find((project) => project.state === 'terminated')!;
    expect((await auditVerifyCommand(database.db, { project: other.id })).ok).toBe(true);

    // The same through the real binary: JSON summary on stdout, one line on stderr, exit 1.
    const run = await runCliProcess(['audit:verify'], { DATABASE_URL: database.url });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, firstBroken: { projectId: victim.id, seq: 3 } });
    expect(lines(run.stderr)).toEqual([expect.stringContaining(`project ${victim.id} (${victim.code}) at seq 3`)]);

    // An event removed from the end of a chain: projects.last_hash no longer matches.
    await database.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE project_events DISABLE TRIGGER project_events_append_only');
      await tx.query('DELETE FROM project_events WHERE project_id = $1 AND seq = (SELECT max(seq) FROM project_events WHERE project_id = $1)', [other.id]);
      await tx.query('ALTER TABLE project_events ENABLE TRIGGER project_events_append_only');
    });
    const truncated = await auditVerifyCommand(database.db, { project: other.id });
    expect(truncated.ok).toBe(false);
    expect(truncated.firstBroken?.problem).toMatch(/last_hash/);
    expect((await auditVerifyCommand(database.db)).brokenProjects).toBe(2);
  });
});

describe('the CLI as a child process', () => {
  let runs: Promise<ProcessResult[]>;
  beforeAll(() => {
    // The children start now and run on the other core while this process creates a fresh PGlite
    // (seconds of WASM work that blocks this thread) for the lock test.
    const env = { DATABASE_URL: database.url };
    runs = Promise.all([
      runCliProcess(['--help'], env),
      runCliProcess(['users:add', '--email', 'spawned@yc.test', '--role', 'finance', '--name', '财政 经办'], env),
      runCliProcess(['users:add', '--email', 'spawned2@yc.test', '--role', 'applicant'], env),
      runCliProcess(['diagram'], { DATABASE_URL: 'not a url' }),
    ]);
    runs.catch(() => {});
    holder = openPgliteDatabase(path.join(lockedDir, 'db'));
    holder.catch(() => {});
  });

  it('prints help, adds a user with a working token, and refuses a bad flag with exit 2', async () => {
    // PGlite's start-up blocks this thread in long stretches; let it finish before this process talks
    // to PostgreSQL again, or a pool connect here could time out while the thread is blocked.
    await holder!.catch(() => {});
    const [help, added, bad] = (await runs) as [ProcessResult, ProcessResult, ProcessResult];
    expect(help.code).toBe(0);
    for (const command of ['orgs:add', 'orgs:list', 'users:add', 'tokens:issue', 'audit:verify', 'demo:seed', 'diagram']) {
      expect(help.stdout).toContain(command);
    }
    expect(added.code, added.stderr).toBe(0);
    const output = JSON.parse(added.stdout) as { id: string; token: string; role: string };
    expect(output.role).toBe('finance');
    expect((await findUserByToken(database.db, output.token))?.id).toBe(output.id);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(lines(bad.stderr)).toEqual(['users:add: --org: is required for an applicant (the unit or enterprise it acts for)']);
  });

  it('a second process on a locked embedded database gets one line and exit 3, and the holder is unharmed', async () => {
    // The test process holds the embedded database in lockedDir, as the running service would.
    const held = await holder!;
    await held.query('CREATE TABLE kept (n int)');
    await held.query('INSERT INTO kept VALUES (1)');
    const run = await runCliProcess(['orgs:list'], { DATABASE_URL: undefined, DATA_DIR: lockedDir });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^the embedded database in .*db is in use by process ${process.pid}`))]);
    expect(fs.readFileSync(path.join(lockedDir, 'db', 'fundflow.lock'), 'utf8')).toBe(String(process.pid));
    expect(await held.query('SELECT n FROM kept')).toEqual([{ n: 1 }]);
  });

  it('diagram prints the mermaid diagram generated from the machine, needing no database or config', async () => {
    const run = (await runs)[3]!;
    expect(run.code).toBe(0);
    const expected = renderMermaid(createProjectMachine(DEFAULT_LIFECYCLE_RULES));
    expect(run.stdout).toBe(expected);
    expect(expected.startsWith('stateDiagram-v2\n')).toBe(true);
    for (const line of [
      '  [*] --> proposed',
      '  state "deviated-corrected" as deviated_corrected',
      '  proposed_draft --> proposed_review : SUBMIT [proposalComplete]',
      '  inspected --> deviated_corrected : CONCLUDE_INSPECTION [isDeviationDueLater]',
      '  suspended --> deviated_corrected_verifying : RESUME [suspendedFromVerifying]',
      '  suspended_stop_requested --> terminated : CONFIRM_STOP',
      '  closed --> [*]',
    ]) {
      expect(expected.split('\n')).toContain(line);
    }
  });

  // README.md shows the lifecycle as the block that `npm run diagram` prints.
  it("README.md's state diagram is the one generated from the machine", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const readmeDiagram = /```mermaid\n(stateDiagram-v2\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(readmeDiagram, 'README.md needs the block `npm run -s diagram` prints').toBe(renderMermaid(createProjectMachine(DEFAULT_LIFECYCLE_RULES)));
  });
});
