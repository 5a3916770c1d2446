import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/domain/audit-chain.ts';
import type { Database } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import {
  findProject,
  insertProject,
  listProjectEvents,
  listProjects,
  loadProjectForCommand,
  nextProjectSequence,
  writeTransition,
} from '../../src/store/projects.store.ts';
import { addOrganisation } from '../../src/store/users.store.ts';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../support/database.ts';

const BACKENDS: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', () => createTestDatabase()],
  ['PGlite', () => createPgliteTestDatabase()],
];

describe.each(BACKENDS)('the store on %s', (_name, open) => {
  let database: TestDatabase;
  let db: Database;
  let orgId: string;

  beforeAll(async () => {
    database = await open();
    db = database.db;
    orgId = (await addOrganisation(db, { name: `单位-${randomUUID()}`, kind: 'unit' })).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  const audit = (seq: number, prevHash: string, hash: string) => ({
    seq,
    eventType: seq === 1 ? 'PROPOSE' : 'REPORT_PROGRESS',
    actorId: null,
    actorRole: 'applicant',
    channel: 'api',
    fromState: seq === 1 ? null : 'executing',
    toState: 'executing',
    payload: { seq, money: 1_000_000_000_000_000 },
    reason: null,
    occurredAt: new Date(Date.UTC(2024, 9, seq)).toISOString(),
    prevHash,
    hash,
  });

  async function newProject(item = 5, createdAt = '2024-10-01T00:00:00.000Z') {
    const id = randomUUID();
    await insertProject(db, {
      id,
      code: `T-${id}`,
      orgId,
      item,
      title: '项目',
      requestedFen: 1_000_000_000_000_000,
      state: 'executing',
      machineVersion: 'project@1',
      snapshot: { value: 'executing', context: {} },
      audit: { ...audit(1, GENESIS_HASH, 'h1'), occurredAt: createdAt },
    });
    return id;
  }

  it('migrations are idempotent', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('keeps bigint fen exact and returns it as a number', async () => {
    const id = await newProject();
    const row = await findProject(db, id);
    expect(row?.requested_fen).toBe(1_000_000_000_000_000);
    expect(row?.version).toBe(1);
  });

  it('writes a transition only at the expected version, all or nothing', async () => {
    const id = await newProject();
    const write = (expectedVersion: number) =>
      writeTransition(db, {
        projectId: id,
        expectedVersion,
        state: 'executing',
        snapshot: { value: 'executing', context: { n: expectedVersion } },
        title: '项目',
        item: 5,
        requestedFen: 1,
        audit: audit(expectedVersion + 1, 'h1', `h${expectedVersion + 1}`),
        outbox: [{ topic: 'notify', payload: { a: 1 }, dedupe_key: `${id}.${expectedVersion + 1}.0` }],
        idempotency: { userId: randomUUID(), key: `k-${expectedVersion}`, requestHash: 'r', status: 200, body: { ok: true } },
      });
    expect(await write(1)).toBe(true);
    expect(await write(1)).toBe(false);
    const events = await listProjectEvents(db, id);
    expect(events.map((event) => event.seq)).toEqual([1, 2]);
    const outbox = await db.query('SELECT * FROM outbox WHERE project_id = $1', [id]);
    expect(outbox).toHaveLength(1);
    const loaded = await loadProjectForCommand(db, id);
    expect(loaded.project?.version).toBe(2);
    expect(loaded.project?.last_hash).toBe('h2');
  });

  it('returns the stored answer of an Idempotency-Key with the project in one load', async () => {
    const id = await newProject();
    const userId = randomUUID();
    await writeTransition(db, {
      projectId: id,
      expectedVersion: 1,
      state: 'executing',
      snapshot: {},
      title: '项目',
      item: 5,
      requestedFen: 1,
      audit: audit(2, 'h1', 'h2'),
      outbox: [],
      idempotency: { userId, key: 'same', requestHash: 'abc', status: 200, body: { answer: 42 } },
    });
    const loaded = await loadProjectForCommand(db, id, { userId, key: 'same' });
    expect(loaded.answer).toEqual({ request_hash: 'abc', status: 200, body: { answer: 42 } });
    const locked = await db.transaction((tx) => loadProjectForCommand(tx, id, { userId, key: 'same' }, true));
    expect(locked.answer?.body).toEqual({ answer: 42 });
  });

  it('refuses to change or delete an audit event', async () => {
    const id = await newProject();
    await expect(db.query(`UPDATE project_events SET reason = 'x' WHERE project_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM project_events WHERE project_id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('numbers projects per county, year and item without gaps', async () => {
    const numbers = [];
    for (let i = 0; i < 3; i += 1) numbers.push(await nextProjectSequence(db, 'YC', 2024, 7));
    expect(numbers).toEqual([1, 2, 3]);
    expect(await nextProjectSequence(db, 'YC', 2024, 8)).toBe(1);
  });

  it('lists by state, item and organisation with a stable cursor', async () => {
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await newProject(12, `2024-11-0${i + 1}T00:00:00.000Z`));
    const firstPage = await listProjects(db, { item: 12, limit: 2 });
    expect(firstPage.map((row) => row.id)).toEqual([ids[4], ids[3]]);
    const last = firstPage.at(-1)!;
    const secondPage = await listProjects(db, {
      item: 12,
      limit: 10,
      cursor: { createdAt: new Date(last.created_at).toISOString(), id: last.id },
    });
    expect(secondPage.map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(await listProjects(db, { item: 12, state: 'executing', orgId, limit: 10 })).toHaveLength(5);
    expect(await listProjects(db, { item: 12, state: 'proposed', limit: 10 })).toHaveLength(0);
  });

  it('rolls a failed transaction back whole', async () => {
    const name = `回滚-${randomUUID()}`;
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO organisations (id, name, kind) VALUES ($1, $2, 'unit')`, [randomUUID(), name]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT 1 FROM organisations WHERE name = $1', [name])).toHaveLength(0);
  });
});
