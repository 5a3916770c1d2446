import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventPayloadSchemas } from '../../machines/project.schemas.ts';
import { projectionOf } from '../../machines/project.projection.ts';
import { restoreProjectSnapshot, SNAPSHOT_MIGRATIONS, storedContextOf } from '../../machines/project.restore.ts';
import { applyEvent } from '../../src/engine/apply-event.ts';
import { getProject } from '../../src/usecases/projects/get-project.ts';
import { buildEvaluationReport } from '../../src/reports/evaluation-report.builder.ts';
import { loadEvaluationReportSource } from '../../src/reports/evaluation-report.loader.ts';
import { loadProjectHeader } from '../../src/reports/report-sources.loader.ts';
import { listDisclosedProjects } from '../../src/store/disclosure.store.ts';
import { findProject, listProjectContextsInState } from '../../src/store/projects.store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo, PATHS } from '../support/drive.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Snapshots are read only through restore. This build is bumped to a test-only machine version,
 * project@2, whose stored layout differs from project@1's; SNAPSHOT_MIGRATIONS upgrades project@1.
 * The projects are made by the real engine (so in the current layout), then their stored JSON is
 * rewritten into the project@1 layout, as an older build would have left it. Every reader must
 * answer exactly as before: those that need a little use the projection columns, those that need
 * the context read it through restore's migration. On the real PostgreSQL.
 */
vi.mock('../../machines/project.machine.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../machines/project.machine.ts')>()),
  PROJECT_MACHINE_VERSION: 'project@2',
}));

/** project@1's layout, as SQL: fundId under earmark, evaluations renamed, the period as one object. */
const TO_PROJECT_1 = `
  UPDATE projects SET machine_version = 'project@1',
    snapshot = jsonb_set(snapshot, '{context}',
      ((snapshot -> 'context') - 'fundId' - 'evaluations' - 'proposal')
      || jsonb_build_object(
           'earmark', jsonb_build_object('fundId', snapshot -> 'context' -> 'fundId'),
           'evaluationRecords', snapshot -> 'context' -> 'evaluations',
           'proposal', ((snapshot -> 'context' -> 'proposal') - 'periodStart' - 'periodEnd')
             || jsonb_build_object('period', jsonb_build_object('start', snapshot -> 'context' -> 'proposal' -> 'periodStart',
                                                                'end', snapshot -> 'context' -> 'proposal' -> 'periodEnd'))))
   WHERE id = ANY($1::uuid[])`;

type Json = Record<string, any>;

/** The pure migration project@1 -> project@2: the inverse of TO_PROJECT_1. */
function migrateProject1(persisted: Json): Json {
  const { earmark, evaluationRecords, proposal, ...context } = persisted.context as Json;
  const { period, ...rest } = proposal as Json;
  return {
    ...persisted,
    context: { ...context, fundId: earmark.fundId, evaluations: evaluationRecords, proposal: { ...rest, periodStart: period.start, periodEnd: period.end } },
  };
}

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
const ids = {} as Record<'draft' | 'executing' | 'correcting' | 'low' | 'good' | 'closed' | 'review', string>;

async function evaluateAndAccept(low: boolean) {
  const project = await driveTo(app, 'evaluated.self-evaluation');
  const actor = (role: 'evaluator' | 'finance') => ({ userId: app.users[role].id, role, orgId: app.users[role].orgId });
  const indicators = low
    ? [
        { indicatorId: 'OUT1', actual: 2 },
        { indicatorId: 'OUT2', actual: 400 },
        { indicatorId: 'EFF1', actual: 10 },
        { indicatorId: 'SAT1', band: 'not-achieved', percent: 10 },
      ]
    : [
        { indicatorId: 'OUT1', actual: 12 },
        { indicatorId: 'OUT2', actual: 150 },
        { indicatorId: 'EFF1', actual: 120 },
        { indicatorId: 'SAT1', band: 'achieved', percent: 95 },
      ];
  const report = { 基本情况: 'a', 评价工作开展情况: 'b', 综合评价结论: 'c', 绩效分析: 'd', 存在问题: 'e', 建议: 'f' };
  await applyEvent(app.engine, {
    projectId: project.id,
    actor: actor('evaluator'),
    channel: 'api',
    type: 'SUBMIT_EVALUATION',
    payload: eventPayloadSchemas.SUBMIT_EVALUATION.parse({ indicators, report }) as Record<string, unknown>,
  });
  await applyEvent(app.engine, { projectId: project.id, actor: actor('finance'), channel: 'api', type: 'ACCEPT_EVALUATION', payload: {} });
  return project.id;
}

/** Every reader's answer about the projects, as a person or a worker would get it. */
async function readEverything() {
  const center = { userId: app.users.center.id, role: 'center' as const, orgId: app.users.center.orgId };
  const views: Json = {};
  for (const [name, id] of Object.entries(ids)) {
    // The view names the stored version; everything else must not change.
    const { updatedAt: _u, machineVersion: _v, ...view } = (await getProject(app.engine, center, id)) as Json;
    views[name] = view;
  }
  const disclosed = (await listDisclosedProjects(app.db, 1000, 0)).map(({ updated_at: _u, ...row }) => row);
  const headers: Json = {};
  for (const [name, id] of Object.entries(ids)) headers[name] = await loadProjectHeader(app.db, id);
  const contexts: Json = {};
  for (const [name, id] of Object.entries(ids)) contexts[name] = storedContextOf((await findProject(app.db, id))!);
  const reports: Json = {};
  for (const name of ['low', 'good', 'closed'] as const) reports[name] = buildEvaluationReport((await loadEvaluationReportSource(app.db, ids[name]))!, new Date('2024-12-01T00:00:00Z'));
  const executing = await listProjectContextsInState(app.db, 'executing');
  const columns = await app.db.query('SELECT id, tags, fund_id, accepted_grade FROM projects WHERE id = ANY($1::uuid[]) ORDER BY id', [Object.values(ids)]);
  return { views, disclosed, headers, contexts, reports, executing, columns };
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  ids.draft = (await driveTo(app, 'proposed.draft')).id;
  ids.executing = (await driveTo(app, 'executing')).id;
  ids.correcting = (await driveTo(app, 'deviated-corrected.correcting')).id;
  ids.low = await evaluateAndAccept(true);
  ids.good = await evaluateAndAccept(false);
  ids.closed = (await driveTo(app, 'closed')).id;
  // A new proposal of the same applicant: its reviewers see the earlier low grade.
  ids.review = (await driveTo(app, 'proposed.review')).id;
}, 120_000);

afterAll(async () => {
  delete SNAPSHOT_MIGRATIONS['project@1'];
  await app?.close();
  await database?.drop();
});

describe('snapshots are read only through restore (project@2 with a migration from project@1)', () => {
  it('every reader answers the same before and after the stored JSON is in the older layout', async () => {
    const before = await readEverything();
    // The fixtures cover what the readers read: a low grade flag, a graded disclosure, a fund, a deviation context.
    expect(before.views.review.reviewFlags.map((flag: Json) => flag.grade)).toEqual(['差']);
    expect(before.views.low.context.evaluations.at(-1).grade).toBe('差');
    expect(before.disclosed.filter((row) => row.grade !== null).map((row) => row.grade).sort()).toEqual(['优', '差', '良'].sort());
    expect(before.columns.filter((row: Json) => row.fund_id !== null)).toHaveLength(5);
    expect(before.executing.map((row) => row.id)).toContain(ids.executing);
    expect(before.reports.low!.scoreTable.total).toBeLessThan(60);

    await app.db.query(TO_PROJECT_1, [Object.values(ids)]);
    // Without the migration, this build refuses the older version instead of misreading it.
    expect(() => storedContextOf({ machine_version: 'project@1', snapshot: {} })).toThrow(/unknown machine version "project@1"/);
    SNAPSHOT_MIGRATIONS['project@1'] = { to: 'project@2', migrate: migrateProject1 };

    // A reader by JSON path would now be wrong: the stored layout really changed.
    const byPath = await app.db.query<{ grade: string | null; fund: string | null }>(
      `SELECT snapshot -> 'context' -> 'evaluations' -> -1 ->> 'grade' AS grade, snapshot -> 'context' ->> 'fundId' AS fund FROM projects WHERE id = $1`,
      [ids.low],
    );
    expect(byPath).toEqual([{ grade: null, fund: null }]);

    const after = await readEverything();
    expect(after).toEqual(before);
  });

  it('the funds route finds the earmarked fund from the column, and a command upgrades the row to project@2', async () => {
    const recovered = await api('POST', `/api/v1/projects/${ids.executing}/recoveries`, { token: app.users.finance.token, body: { amountFen: 1_000, reason: '审计追回' } });
    expect(recovered.status).toBe(201);
    expect(recovered.body.fundId).toBe((await findProject(app.db, ids.executing))!.fund_id);

    const inspector = { userId: app.users.inspector.id, role: 'inspector' as const, orgId: app.users.inspector.orgId };
    await applyEvent(app.engine, {
      projectId: ids.executing,
      actor: inspector,
      channel: 'api',
      type: 'RECORD_INSPECTION',
      payload: eventPayloadSchemas.RECORD_INSPECTION.parse({ kind: 'regular', date: '2024-10-08', inspectors: ['张三'] }) as Record<string, unknown>,
    });
    const row = (await findProject(app.db, ids.executing))!;
    expect([row.machine_version, row.state, row.tags]).toEqual(['project@2', 'inspected', ['monitored']]);
    expect((row.snapshot as Json).context.fundId).toBe(row.fund_id);
    expect(row.fund_id).not.toBeNull();
  });

  it('the migration 006 backfill gives every state the projection the machine computes', async () => {
    const made: string[] = [];
    for (const state of Object.keys(PATHS)) made.push((await driveTo(app, state)).id);
    const rows = await app.db.query<{ id: string; machine_version: string; snapshot: unknown; tags: string[]; fund_id: string | null; accepted_grade: string | null }>(
      `SELECT id, machine_version, snapshot, tags, fund_id, accepted_grade FROM projects WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [made],
    );
    expect(rows).toHaveLength(made.length);
    for (const row of rows) {
      const restored = restoreProjectSnapshot(app.engine.machine, row.machine_version, row.snapshot);
      if (!restored.ok) throw new Error(restored.reason);
      const { machineVersion: _v, ...projection } = projectionOf(restored.snapshot);
      expect({ tags: row.tags, fundId: row.fund_id, acceptedGrade: row.accepted_grade }, row.id).toEqual(projection);
    }
    // The backfill reads the layout these rows have (the real project@1's): clear the columns and run it.
    const written = await app.db.query('SELECT id, tags, fund_id, accepted_grade FROM projects WHERE id = ANY($1::uuid[]) ORDER BY id', [made]);
    await app.db.query(`UPDATE projects SET tags = '{}', fund_id = NULL, accepted_grade = NULL WHERE id = ANY($1::uuid[])`, [made]);
    const migration = readFileSync(new URL('../../src/store/migrations/006_project_projection.sql', import.meta.url), 'utf8');
    const backfill = migration.slice(migration.indexOf('UPDATE projects'), migration.indexOf(';', migration.indexOf('UPDATE projects')));
    await app.db.query(`${backfill} WHERE id = ANY($1::uuid[])`, [made]);
    const backfilled = await app.db.query('SELECT id, tags, fund_id, accepted_grade FROM projects WHERE id = ANY($1::uuid[]) ORDER BY id', [made]);
    expect(backfilled.filter((row: Json) => row.tags.length > 0).length).toBeGreaterThan(3);
    expect(backfilled.filter((row: Json) => row.accepted_grade !== null).length).toBe(2);
    expect(backfilled).toEqual(written);
  });
});
