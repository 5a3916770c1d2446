/**
 * The ledger benchmark (issue 3): disbursements per second through the whole HTTP path against ONE
 * fund with 1,000 executing projects at 32 concurrent clients, against a raw-SQL baseline of the
 * same locks and writes measured in the same run, in alternating slices; then every ledger
 * invariant is checked on the database the run left behind.
 *
 * Engine: POST /api/v1/projects/:id/events {type: DISBURSE, amountFen} as the finance user, to the
 * bench server child (express, auth, zod, load, rehydrate, tranche guard, transition, and ONE write
 * statement: snapshot under the version check, audit event, outbox row, and the ledger CTEs that
 * update project_balances, fund_balances, fund_category_balances, fund_item_balances and insert the
 * ledger_entries row). The server runs lifecycle rules with tranche.laterTrancheRequires = 'none':
 * by default a later tranche needs an on-track inspection or a progress report since the last one,
 * and this benchmark pays many tranches in a row.
 *
 * Baseline (judged): the best plain implementation, through pg without HTTP or machine, in as few
 * round trips as PostgreSQL allows: read the project row (no lock), check the commitment left and
 * compute the snapshot and chained hash, then ONE autocommitted statement of data-modifying CTEs
 * under the version check: projects, project_events, outbox, then project_balances, fund_balances,
 * fund_category_balances, fund_item_balances (the engine's lock order) and ledger_entries. A lost
 * race runs the statement again under SELECT ... FOR UPDATE, as the engine does
 * (support/baseline-write.ts writeInOneStatement).
 *
 * Extra (labelled, not judged): the old baseline, one statement per step (BEGIN; SELECT FOR UPDATE;
 * 4 balance UPDATEs; INSERT ledger_entries; UPDATE projects; INSERT project_events; INSERT outbox;
 * COMMIT): it holds the hot fund, category and item row locks across five more round trips.
 *
 *   npm run bench -- ledger
 *   BENCH_SECONDS=4 BENCH_PROJECTS=300 npm run bench -- ledger   (quick)
 *
 * Settings: BENCH_SECONDS (20 per side), BENCH_WARMUP_SECONDS (2), BENCH_PROJECTS (1000),
 * BENCH_CONCURRENCY (32), BENCH_POOL (16, the server's and the baseline's pool), BENCH_SLICE_SECONDS
 * (2), BENCH_TRANCHE_MIN_FEN / BENCH_TRANCHE_MAX_FEN (100 / 999), BENCH_KEEP_DB=1.
 *
 * Writes bench/results/ledger.json.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { inLockedProject, writeBaselineEvent, writeInOneStatement } from './support/baseline-write.ts';
import { Judge, type BenchOutcome } from './support/judge.ts';
import { ITEMS } from '../../config/plan.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import type { Database } from '../../src/store/database.ts';
import type { BenchServerStats } from './bench-server.ts';
import { createBenchDatabase, keepOrDrop, serverSettings, teardownOnce, type BenchDatabase } from './support/bench-db.ts';
import { keepAliveClient, runClosedLoop, summariseLoad, type LoadResult, type RawLoad } from './support/load.ts';
import { mergeWaitProfiles, startWaitSampler, type WaitProfile, type WaitSampler } from './support/pg-waits.ts';
import { memoryOf, mergeCpuAccounts, round, startCpuAccount, type CpuAccount } from './support/proc.ts';
import { envNumber, fmt, machineInfo, printTable, writeResults } from './support/report.ts';
import { createTemplateProject, seedingEngine, seedUsers, settleAfterLoad, templateCloner, verifyProjectChain } from './support/seed.ts';
import { REPO_ROOT, startServerChild, type ServerChild } from './support/server-child.ts';

/** The rules handed to the bench server: later tranches need nothing in between (see the header). */
const BENCH_RULES = { tranche: { laterTrancheRequires: 'none' } } as const;
/**
 * Required materials on the bench server: the template's contract stands for every tranche (not
 * a fresh basis per tranche, which would need an upload between two payments); the engine still
 * loads and checks the materials and the voucher number on every DISBURSE.
 */
const BENCH_REQUIRED_MATERIALS = {
  events: { DISBURSE: { groups: [{ anyOf: ['contract', 'invoice', 'acceptance'] }], voucherNumber: true } },
} as const;
const BENCH_VOUCHER = 'GKZF-2024-000002';

type Operation = () => Promise<{ outcome: string; detail?: string }>;

interface Slice {
  raw: RawLoad;
  cpu: CpuAccount;
  waits: WaitProfile;
  server?: BenchServerStats;
  /** Disbursements that succeeded for the client and the fen they moved. */
  okAmountFen: number;
  /** New disburse ledger entries (and their fen) written during the slice equal the successes. */
  writesMatch: boolean;
}

interface PhaseResult {
  name: string;
  slices: number;
  load: LoadResult;
  cpu: CpuAccount;
  cpuMsPerOp: { client: number | null; server: number | null; postgres: number | null; total: number | null };
  postgresActivity: WaitProfile;
  server?: {
    requests: number;
    statuses: Record<string, number>;
    cpuMsPerRequest: number;
    eventLoopUtilisation: number;
    requestMsMean: number;
    dbMsPerRequest: number;
    queriesPerRequest: number;
    poolWaitingMean: number;
  };
  writesMatch: boolean;
}

interface InvariantCheck {
  name: string;
  ok: boolean;
  detail: string;
}

function log(message: string): void {
  console.log(`[bench ledger] ${message}`);
}

async function disburseTotals(db: Database): Promise<{ maxId: number; count: number; fen: number }> {
  const [row] = await db.query<{ max_id: number | null; count: number; fen: number }>(
    `SELECT max(id)::bigint AS max_id, count(*)::bigint AS count, coalesce(sum(amount_fen), 0)::bigint AS fen
       FROM ledger_entries WHERE kind = 'disburse'`,
  );
  return { maxId: Number(row?.max_id ?? 0), count: Number(row?.count ?? 0), fen: Number(row?.fen ?? 0) };
}

function mergeServer(parts: BenchServerStats[]): PhaseResult['server'] {
  const requests = parts.reduce((sum, part) => sum + part.requests, 0);
  if (requests === 0) return undefined;
  const durations = parts.map((part) => part.windowUs[1] - part.windowUs[0]);
  const wall = durations.reduce((sum, value) => sum + value, 0) || 1;
  const byRequests = (pick: (part: BenchServerStats) => number) => parts.reduce((sum, part) => sum + pick(part) * part.requests, 0) / requests;
  const byTime = (pick: (part: BenchServerStats) => number) => parts.reduce((sum, part, i) => sum + pick(part) * durations[i]!, 0) / wall;
  const statuses: Record<string, number> = {};
  for (const part of parts) for (const [status, count] of Object.entries(part.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  const cpuMs = parts.reduce((sum, part) => sum + part.cpuMs.user + part.cpuMs.system, 0);
  return {
    requests,
    statuses,
    cpuMsPerRequest: round(cpuMs / requests, 3),
    eventLoopUtilisation: round(byTime((part) => part.eventLoopUtilisation), 3),
    requestMsMean: round(byRequests((part) => part.requestMsMean), 3),
    dbMsPerRequest: round(byRequests((part) => part.dbMsPerRequest), 3),
    queriesPerRequest: round(byRequests((part) => part.queriesPerRequest), 2),
    poolWaitingMean: round(byTime((part) => part.poolWaitingMean ?? 0), 2),
  };
}

/**
 * Every ledger invariant, on the whole database: the balance rows of every fund, category, item
 * and project equal the sums of the ledger entries by kind; the levels agree with each other;
 * nothing is over-committed or over-paid; the machine's view (snapshot context) equals the ledger;
 * every disbursement has its audit event and vice versa; the run's successes are exactly the new
 * entries.
 */
async function checkInvariants(db: Database, expected: { newDisbursements: number; newDisbursedFen: number; before: { maxId: number } }): Promise<InvariantCheck[]> {
  const checks: InvariantCheck[] = [];
  const add = (name: string, bad: number, detail: string) => checks.push({ name, ok: bad === 0, detail });
  const KINDS = ['committed', 'disbursed', 'released', 'recovered'] as const;
  const sumsOf = (kinds: readonly string[]) =>
    kinds
      .map((kind) => {
        const entry = { allocated: 'allocate', committed: 'commit', disbursed: 'disburse', released: 'release', recovered: 'recover' }[kind];
        return `coalesce(sum(amount_fen) FILTER (WHERE kind = '${entry}'), 0)::bigint AS ${kind}`;
      })
      .join(', ');
  const differs = (kinds: readonly string[], left: string, right: string) =>
    kinds.map((kind) => `coalesce(${left}.${kind}_fen, 0) <> coalesce(${right}.${kind}, 0)`).join(' OR ');
  const mapping = [ITEMS.map((item) => item.id), ITEMS.map((item) => item.category)];

  // 1. Fund balances = sums of the fund's entries by kind (allocate included).
  const allKinds = ['allocated', ...KINDS] as const;
  const fundRows = await db.query<{ fund_id: string }>(
    `WITH s AS (SELECT fund_id, ${sumsOf(allKinds)} FROM ledger_entries GROUP BY fund_id)
     SELECT coalesce(b.fund_id, s.fund_id) AS fund_id FROM fund_balances b FULL JOIN s ON s.fund_id = b.fund_id
      WHERE b.fund_id IS NULL OR ${differs(allKinds, 'b', 's')}`,
  );
  const [funds] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fund_balances');
  add('fund_balances = Σ ledger_entries by kind, per fund', fundRows.length, `${funds?.n} funds, ${fundRows.length} differ${fundRows.length ? `: ${fundRows.slice(0, 3).map((r) => r.fund_id).join(', ')}` : ''}`);

  // 2. Category balances = sums of entries of the category's items, per fund and category (zero rows included).
  const categoryRows = await db.query<{ fund_id: string; category: number }>(
    `WITH m AS (SELECT * FROM unnest($1::int[], $2::int[]) AS m(item, category)),
          s AS (SELECT e.fund_id, m.category, ${sumsOf(KINDS)} FROM ledger_entries e JOIN m ON m.item = e.item
                 WHERE e.kind <> 'allocate' GROUP BY e.fund_id, m.category)
     SELECT coalesce(b.fund_id, s.fund_id) AS fund_id, coalesce(b.category, s.category) AS category
       FROM fund_category_balances b FULL JOIN s ON s.fund_id = b.fund_id AND s.category = b.category
      WHERE b.fund_id IS NULL OR ${differs(KINDS, 'b', 's')}`,
    mapping,
  );
  const [categories] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fund_category_balances');
  add('fund_category_balances = Σ entries of its items by kind', categoryRows.length, `${categories?.n} rows, ${categoryRows.length} differ`);

  // 3. Item balances = sums per fund and item; and each item row sits in the plan's category.
  const itemRows = await db.query<{ fund_id: string; item: number }>(
    `WITH s AS (SELECT fund_id, item, ${sumsOf(KINDS)} FROM ledger_entries WHERE kind <> 'allocate' GROUP BY fund_id, item)
     SELECT coalesce(b.fund_id, s.fund_id) AS fund_id, coalesce(b.item, s.item) AS item
       FROM fund_item_balances b FULL JOIN s ON s.fund_id = b.fund_id AND s.item = b.item
      WHERE b.fund_id IS NULL OR ${differs(KINDS, 'b', 's')}`,
  );
  const [wrongCategory] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM fund_item_balances b JOIN unnest($1::int[], $2::int[]) AS m(item, category) ON m.item = b.item
      WHERE m.category <> b.category`,
    mapping,
  );
  const [items] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fund_item_balances');
  add('fund_item_balances = Σ entries by kind, per fund and item (category as in the plan)', itemRows.length + (wrongCategory?.n ?? 0), `${items?.n} rows, ${itemRows.length} differ, ${wrongCategory?.n} in the wrong category`);

  // 4. Project balances = sums of the project's entries; every entry of a project names the balance row's fund and item.
  const projectRows = await db.query<{ project_id: string }>(
    `WITH s AS (SELECT project_id, ${sumsOf(KINDS)} FROM ledger_entries WHERE project_id IS NOT NULL GROUP BY project_id)
     SELECT coalesce(b.project_id, s.project_id) AS project_id FROM project_balances b FULL JOIN s ON s.project_id = b.project_id
      WHERE b.project_id IS NULL OR ${differs(KINDS, 'b', 's')}`,
  );
  const [foreign] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_entries e JOIN project_balances b ON b.project_id = e.project_id
      WHERE e.fund_id <> b.fund_id OR e.item <> b.item`,
  );
  const [projects] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM project_balances');
  add('project_balances = Σ the project’s entries by kind (same fund and item)', projectRows.length + (foreign?.n ?? 0), `${projects?.n} projects, ${projectRows.length} differ, ${foreign?.n} entries name another fund or item`);

  // 5. The levels agree: Σ projects = Σ items = Σ categories = the fund, per kind.
  const levelRows = await db.query<{ fund_id: string }>(
    `WITH p AS (SELECT fund_id, ${KINDS.map((k) => `sum(${k}_fen) AS ${k}`).join(', ')} FROM project_balances GROUP BY fund_id),
          i AS (SELECT fund_id, ${KINDS.map((k) => `sum(${k}_fen) AS ${k}`).join(', ')} FROM fund_item_balances GROUP BY fund_id),
          c AS (SELECT fund_id, ${KINDS.map((k) => `sum(${k}_fen) AS ${k}`).join(', ')} FROM fund_category_balances GROUP BY fund_id)
     SELECT f.fund_id FROM fund_balances f LEFT JOIN p ON p.fund_id = f.fund_id LEFT JOIN i ON i.fund_id = f.fund_id LEFT JOIN c ON c.fund_id = f.fund_id
      WHERE ${KINDS.map((k) => `f.${k}_fen <> coalesce(p.${k}, 0) OR f.${k}_fen <> coalesce(i.${k}, 0) OR f.${k}_fen <> coalesce(c.${k}, 0)`).join(' OR ')}`,
  );
  add('Σ projects = Σ items = Σ categories = fund, per kind', levelRows.length, `${levelRows.length} funds disagree across levels`);

  // 6. Nothing over-committed, over-released, over-paid or over-recovered, at any level; nothing negative.
  const [over] = await db.query<{ funds: number; categories: number; items: number; projects: number; negative: number }>(
    `SELECT
       (SELECT count(*)::int FROM fund_balances WHERE committed_fen - released_fen > allocated_fen + recovered_fen OR released_fen > committed_fen
                                                   OR disbursed_fen + released_fen > committed_fen) AS funds,
       (SELECT count(*)::int FROM fund_category_balances WHERE ceiling_fen IS NOT NULL AND committed_fen - released_fen > ceiling_fen
                                                           OR disbursed_fen + released_fen > committed_fen) AS categories,
       (SELECT count(*)::int FROM fund_item_balances WHERE ceiling_fen IS NOT NULL AND committed_fen - released_fen > ceiling_fen
                                                       OR disbursed_fen + released_fen > committed_fen) AS items,
       (SELECT count(*)::int FROM project_balances WHERE disbursed_fen + released_fen > committed_fen OR recovered_fen > disbursed_fen) AS projects,
       (SELECT count(*)::int FROM (
          SELECT committed_fen, disbursed_fen, released_fen, recovered_fen FROM fund_balances
          UNION ALL SELECT committed_fen, disbursed_fen, released_fen, recovered_fen FROM fund_category_balances
          UNION ALL SELECT committed_fen, disbursed_fen, released_fen, recovered_fen FROM fund_item_balances
          UNION ALL SELECT committed_fen, disbursed_fen, released_fen, recovered_fen FROM project_balances) x
         WHERE committed_fen < 0 OR disbursed_fen < 0 OR released_fen < 0 OR recovered_fen < 0) AS negative`,
  );
  const overTotal = (over?.funds ?? 0) + (over?.categories ?? 0) + (over?.items ?? 0) + (over?.projects ?? 0) + (over?.negative ?? 0);
  add(
    'nothing over-committed (fund, category and item ceilings) or over-paid (project, and Σ at every level)',
    overTotal,
    `violations: funds ${over?.funds}, categories ${over?.categories}, items ${over?.items}, projects ${over?.projects}, negative ${over?.negative}`,
  );

  // 7. The machine's view of each project (its snapshot context) equals the ledger.
  const [machineView] = await db.query<{ n: number; checked: number }>(
    `SELECT count(*) FILTER (WHERE (p.snapshot #>> '{context,committedFen}')::bigint <> b.committed_fen
                               OR (p.snapshot #>> '{context,disbursedFen}')::bigint <> b.disbursed_fen
                               OR (p.snapshot #>> '{context,fundId}')::uuid <> b.fund_id)::int AS n,
            count(*)::int AS checked
       FROM projects p JOIN project_balances b ON b.project_id = p.id`,
  );
  add('snapshot context (committedFen, disbursedFen, fundId) = project_balances', machineView?.n ?? 1, `${machineView?.checked} projects, ${machineView?.n} differ`);

  // 8. Every disbursement entry has its DISBURSE audit event with the same amount, and every DISBURSE event its entry.
  const [trail] = await db.query<{ entries_without_event: number; events_without_entry: number; versions_behind: number }>(
    `SELECT
       (SELECT count(*)::int FROM ledger_entries e LEFT JOIN project_events v ON v.project_id = e.project_id AND v.seq = e.event_seq
         WHERE e.kind = 'disburse' AND (v.project_id IS NULL OR v.event_type <> 'DISBURSE' OR (v.payload ->> 'amountFen')::bigint <> e.amount_fen)) AS entries_without_event,
       (SELECT count(*)::int FROM project_events v LEFT JOIN ledger_entries e ON e.project_id = v.project_id AND e.event_seq = v.seq AND e.kind = 'disburse'
         WHERE v.event_type = 'DISBURSE' AND e.id IS NULL) AS events_without_entry,
       (SELECT count(*)::int FROM projects p WHERE p.version <> (SELECT max(seq) FROM project_events v WHERE v.project_id = p.id)) AS versions_behind`,
  );
  const trailBad = (trail?.entries_without_event ?? 1) + (trail?.events_without_entry ?? 1) + (trail?.versions_behind ?? 1);
  add(
    'each disburse entry ↔ one DISBURSE audit event (same amount); version = last event',
    trailBad,
    `entries without event ${trail?.entries_without_event}, events without entry ${trail?.events_without_entry}, projects whose version is not their last event ${trail?.versions_behind}`,
  );

  // 9. The run's successes are exactly the new entries: nothing lost, nothing doubled, no refused write left behind.
  const [run] = await db.query<{ count: number; fen: number }>(
    `SELECT count(*)::int AS count, coalesce(sum(amount_fen), 0)::bigint AS fen FROM ledger_entries WHERE kind = 'disburse' AND id > $1`,
    [expected.before.maxId],
  );
  const runBad = Number(run?.count) !== expected.newDisbursements || Number(run?.fen) !== expected.newDisbursedFen ? 1 : 0;
  add(
    'disbursements answered ok during the run = new disburse entries (count and fen)',
    runBad,
    `ok ${expected.newDisbursements} (${expected.newDisbursedFen} fen), entries ${run?.count} (${run?.fen} fen)`,
  );
  return checks;
}

export async function runLedgerBench(): Promise<BenchOutcome> {
  const params = {
    seconds: envNumber('BENCH_SECONDS', 20),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
    projects: Math.max(1, Math.floor(envNumber('BENCH_PROJECTS', 1000))),
    concurrency: Math.max(1, Math.floor(envNumber('BENCH_CONCURRENCY', 32))),
    serverPoolSize: Math.max(1, Math.floor(envNumber('BENCH_POOL', 16))),
    baselinePoolSize: Math.max(1, Math.floor(envNumber('BENCH_POOL', 16))),
    sliceSeconds: Math.max(0.5, envNumber('BENCH_SLICE_SECONDS', 2)),
    trancheMinFen: Math.max(1, Math.floor(envNumber('BENCH_TRANCHE_MIN_FEN', 100))),
    trancheMaxFen: Math.max(1, Math.floor(envNumber('BENCH_TRANCHE_MAX_FEN', 999))),
    tokenCacheSeconds: 5,
    serverRules: BENCH_RULES,
  };
  const machine = machineInfo();
  const startedAt = new Date();
  log(`${machine.cpus} cores, node ${machine.node}; ${params.projects} executing projects on one fund, ${params.concurrency} clients, ${params.seconds}s per side in ${params.sliceSeconds}s slices`);
  log(`bench server rules: tranche.laterTrancheRequires = 'none' (default 'either': a later tranche would need an on-track inspection or a progress report since the last one)`);

  let bench: BenchDatabase | undefined;
  let db: Database | undefined;
  let server: ServerChild | undefined;
  let baselinePool: pg.Pool | undefined;
  let sampler: WaitSampler | undefined;
  const teardown = teardownOnce(log, 'interrupted: stopping the server and dropping the database', async () => {
    await sampler?.stop().catch(() => {});
    await server?.stop().catch(() => {});
    await baselinePool?.end().catch(() => {});
    await db?.close().catch(() => {});
    await keepOrDrop(bench, log);
  });

  try {
    // ---- one fund, 1,000 executing projects committed from it (each 12,000,000 fen, 6,000,000 paid) ----
    bench = await createBenchDatabase();
    db = openPgDatabase(bench.url, 4);
    await migrate(db);
    const settings = await serverSettings(bench.url);
    const users = await seedUsers(db);
    const deps = seedingEngine(db);
    const templateId = await createTemplateProject(deps, users);
    const cloner = await templateCloner(db, templateId, 1000);
    let t0 = performance.now();
    const ids = [templateId, ...(await cloner.clone(params.projects - 1))];
    const seedMs = performance.now() - t0;
    await settleAfterLoad(db);
    for (const table of ['ledger_entries', 'project_balances', 'fund_balances', 'fund_category_balances', 'fund_item_balances', 'outbox']) {
      await db.query(`VACUUM (ANALYZE) ${table}`);
    }
    const [shape] = await db.query<{ funds: number; projects: number; executing: number; left_min: number; committed: number }>(
      `SELECT (SELECT count(*)::int FROM funds) AS funds, count(*)::int AS projects,
              count(*) FILTER (WHERE p.state = 'executing')::int AS executing,
              min(b.committed_fen - b.disbursed_fen)::bigint AS left_min, sum(b.committed_fen)::bigint AS committed
         FROM projects p JOIN project_balances b ON b.project_id = p.id`,
    );
    if (shape?.funds !== 1 || shape.executing !== ids.length) throw new Error(`seeding: expected 1 fund and ${ids.length} executing projects, got ${JSON.stringify(shape)}`);
    const tranchesLeft = Math.floor(Number(shape.left_min) / params.trancheMaxFen);
    log(`seeded ${ids.length} executing projects on one fund in ${(seedMs / 1000).toFixed(1)} s; each has ${shape.left_min} fen of commitment left (≥ ${tranchesLeft} tranches of ≤ ${params.trancheMaxFen} fen)`);

    // ---- the HTTP server child, with the benchmark's tranche rule ----
    server = await startServerChild({ databaseUrl: bench.url, poolSize: params.serverPoolSize, tokenCacheSeconds: params.tokenCacheSeconds, rules: BENCH_RULES, requiredMaterials: BENCH_REQUIRED_MATERIALS });
    log(`server child pid ${server.pid} at ${server.baseUrl}`);
    const http = keepAliveClient(server.baseUrl, params.concurrency);
    const finance = users.finance;
    const amount = () => params.trancheMinFen + randomInt(Math.max(1, params.trancheMaxFen - params.trancheMinFen + 1));
    let okFen = 0;
    let okCount = 0;

    const engineOperation: Operation = async () => {
      const id = ids[randomInt(ids.length)]!;
      const amountFen = amount();
      const response = await http.post(`/api/v1/projects/${id}/events`, finance.token, { type: 'DISBURSE', amountFen, voucher: BENCH_VOUCHER });
      if (response.status !== 200) return { outcome: String(response.status), detail: response.text };
      okFen += amountFen;
      okCount += 1;
      return { outcome: 'ok' };
    };

    // ---- the raw baseline: one statement per step, a pg Pool in this process ----
    baselinePool = new pg.Pool({ connectionString: bench.url, max: params.baselinePoolSize });
    baselinePool.on('error', () => {});
    const pool = baselinePool;
    const fundId = users.fundId;
    const item = 5;
    const category = ITEMS.find((entry) => entry.id === item)!.category;
    const baselineDisburse = (id: string, amountFen: number): Promise<void> =>
      inLockedProject(pool, id, async (client, row) => {
        const context = row.snapshot.context;
        // The guard the machine runs (the commitment left), by hand.
        if (amountFen > context.committedFen - context.disbursedFen) throw Object.assign(new Error('over the commitment left'), { code: 'guard' });
        const at = new Date().toISOString();
        const seq = row.version + 1;
        await client.query('UPDATE project_balances SET disbursed_fen = disbursed_fen + $2 WHERE project_id = $1 AND fund_id = $3', [id, amountFen, fundId]);
        await client.query('UPDATE fund_balances SET disbursed_fen = disbursed_fen + $2 WHERE fund_id = $1', [fundId, amountFen]);
        await client.query('UPDATE fund_category_balances SET disbursed_fen = disbursed_fen + $3 WHERE fund_id = $1 AND category = $2', [fundId, category, amountFen]);
        await client.query('UPDATE fund_item_balances SET disbursed_fen = disbursed_fen + $3 WHERE fund_id = $1 AND item = $2', [fundId, item, amountFen]);
        await client.query(
          `INSERT INTO ledger_entries (fund_id, kind, project_id, item, amount_fen, actor_id, event_type, event_seq, reason, occurred_at)
           VALUES ($1, 'disburse', $2, $3, $4, $5, 'DISBURSE', $6, NULL, $7)`,
          [fundId, id, item, amountFen, finance.id, seq, at],
        );
        // The change addDisbursement makes, by hand.
        context.disbursedFen += amountFen;
        context.trancheCount = (context.trancheCount ?? 0) + 1;
        context.lastDisbursedAt = at;
        await writeBaselineEvent(client, {
          id,
          row,
          eventType: 'DISBURSE',
          actor: { id: finance.id, role: 'finance' },
          payload: { amountFen },
          at,
          outboxPayload: { projectId: id, seq, eventType: 'DISBURSE', actorId: finance.id, template: 'project.disbursed', to: ['applicant'] },
        });
      });
    const oldBaselineOperation: Operation = async () => {
      const id = ids[randomInt(ids.length)]!;
      const amountFen = amount();
      await baselineDisburse(id, amountFen);
      okFen += amountFen;
      okCount += 1;
      return { outcome: 'ok' };
    };
    const baselineOperation: Operation = async () => {
      const id = ids[randomInt(ids.length)]!;
      const amountFen = amount();
      await writeInOneStatement(pool, id, (row) => {
        const context = row.snapshot.context;
        // The guard the machine runs (the commitment left), by hand.
        if (amountFen > context.committedFen - context.disbursedFen) throw Object.assign(new Error('over the commitment left'), { code: 'guard' });
        const at = new Date().toISOString();
        context.disbursedFen += amountFen;
        context.trancheCount = (context.trancheCount ?? 0) + 1;
        context.lastDisbursedAt = at;
        return {
          eventType: 'DISBURSE',
          actor: { id: finance.id, role: 'finance' },
          payload: { amountFen },
          at,
          outboxPayload: { projectId: id, seq: row.version + 1, eventType: 'DISBURSE', actorId: finance.id, template: 'project.disbursed', to: ['applicant'] },
          ledger: { column: 'disbursed_fen', kind: 'disburse', fundId, item, category, amountFen },
        };
      });
      okFen += amountFen;
      okCount += 1;
      return { outcome: 'ok' };
    };

    sampler = await startWaitSampler(bench.url, bench.name);
    const before = await disburseTotals(db);

    const runSlice = async (kind: 'engine' | 'baseline' | 'oldBaseline', seconds: number): Promise<Slice> => {
      const entriesBefore = await disburseTotals(db!);
      const fenBefore = okFen;
      if (kind === 'engine') await server!.reset();
      sampler!.reset();
      const endCpu = startCpuAccount(bench!.name, server!.pid);
      const raw = await runClosedLoop(params.concurrency, seconds, { engine: engineOperation, baseline: baselineOperation, oldBaseline: oldBaselineOperation }[kind]);
      const cpu = endCpu();
      const waits = sampler!.read();
      const stats = kind === 'engine' ? await server!.stats() : undefined;
      const entriesAfter = await disburseTotals(db!);
      const okAmountFen = okFen - fenBefore;
      return {
        raw,
        cpu,
        waits,
        ...(stats ? { server: stats } : {}),
        okAmountFen,
        writesMatch: entriesAfter.count - entriesBefore.count === raw.latencies.length && entriesAfter.fen - entriesBefore.fen === okAmountFen,
      };
    };

    const phaseOf = (name: string, slices: Slice[], serverIdle: boolean): PhaseResult => {
      const load = summariseLoad(slices.map((slice) => slice.raw));
      const cpu = mergeCpuAccounts(slices.map((slice) => slice.cpu));
      const per = (ms: number | null) => (ms === null || load.ok === 0 ? null : round(ms / load.ok, 3));
      const postgres = cpu.postgresBackendsMs + cpu.postgresBackgroundMs;
      const serverMs = serverIdle ? 0 : cpu.serverMs;
      const merged = mergeServer(slices.flatMap((slice) => (slice.server ? [slice.server] : [])));
      const result: PhaseResult = {
        name,
        slices: slices.length,
        load,
        cpu,
        cpuMsPerOp: { client: per(cpu.clientMs), server: per(serverMs), postgres: per(postgres), total: per(cpu.clientMs + (serverMs ?? 0) + postgres) },
        postgresActivity: mergeWaitProfiles(slices.map((slice) => slice.waits)),
        ...(merged ? { server: merged } : {}),
        writesMatch: slices.every((slice) => slice.writesMatch),
      };
      log(`${name}: ${load.opsPerSecond} ops/s, p50 ${load.latency.p50Ms} ms, p99 ${load.latency.p99Ms} ms, failures ${JSON.stringify(load.failures)}, 409 ${load.conflicts}`);
      return result;
    };

    // ---- warm-up, then engine and baseline in alternating slices (E B B E E B ...) ----
    if (params.warmupSeconds > 0) {
      await runClosedLoop(params.concurrency, params.warmupSeconds, engineOperation);
      await runClosedLoop(params.concurrency, Math.min(1, params.warmupSeconds), baselineOperation);
      await runClosedLoop(params.concurrency, Math.min(1, params.warmupSeconds), oldBaselineOperation);
    }
    const sliceCount = Math.max(1, Math.round(params.seconds / params.sliceSeconds));
    const sliceSeconds = params.seconds / sliceCount;
    const engineSlices: Slice[] = [];
    const baselineSlices: Slice[] = [];
    const oldBaselineSlices: Slice[] = [];
    for (let i = 0; i < sliceCount; i += 1) {
      const order = i % 2 === 0 ? (['engine', 'baseline', 'oldBaseline'] as const) : (['oldBaseline', 'baseline', 'engine'] as const);
      for (const kind of order) ({ engine: engineSlices, baseline: baselineSlices, oldBaseline: oldBaselineSlices })[kind].push(await runSlice(kind, sliceSeconds));
    }
    const engine = phaseOf(`engine: HTTP DISBURSE @ ${ids.length} projects, 1 fund`, engineSlices, false);
    const baseline = phaseOf(`baseline: pg, read + one CTE statement @ ${ids.length} projects, 1 fund`, baselineSlices, true);
    const oldBaseline = phaseOf(`extra: old baseline, pg 11 statements in a tx @ ${ids.length} projects, 1 fund`, oldBaselineSlices, true);
    const rate = (slice: Slice) => slice.raw.latencies.length / (slice.raw.seconds || 1);
    const pairs = engineSlices.map((slice, i) => ({
      engineOpsPerSecond: round(rate(slice), 1),
      baselineOpsPerSecond: round(rate(baselineSlices[i]!), 1),
      ratio: rate(baselineSlices[i]!) > 0 ? round(rate(slice) / rate(baselineSlices[i]!), 3) : null,
      extraOldBaselineOpsPerSecond: round(rate(oldBaselineSlices[i]!), 1),
      otherJobsCores: round(((slice.cpu.otherMs ?? 0) + (baselineSlices[i]!.cpu.otherMs ?? 0)) / 1000 / (slice.cpu.seconds + baselineSlices[i]!.cpu.seconds || 1), 2),
    }));
    const serverRss = memoryOf(server.pid);

    // ---- refusals: a tranche over the commitment left changes nothing, through HTTP and through the baseline ----
    const probeId = ids[0]!;
    const [probeBalance] = await db.query<{ left: number }>('SELECT (committed_fen - disbursed_fen)::bigint AS left FROM project_balances WHERE project_id = $1', [probeId]);
    const left = Number(probeBalance?.left ?? 0);
    const totalsBeforeProbe = await disburseTotals(db);
    const overHttp = await http.post(`/api/v1/projects/${probeId}/events`, finance.token, { type: 'DISBURSE', amountFen: left + 1, voucher: BENCH_VOUCHER });
    let overBaseline = 'accepted';
    try {
      // The baseline's own guard is skipped here on purpose: the CHECK constraint must refuse it.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [probeId]);
        await client.query('UPDATE project_balances SET disbursed_fen = disbursed_fen + $2 WHERE project_id = $1', [probeId, left + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        overBaseline = `refused: ${(error as { constraint?: string }).constraint ?? (error as Error).message}`;
      } finally {
        client.release();
      }
    } catch (error) {
      overBaseline = `error: ${(error as Error).message}`;
    }
    const totalsAfterProbe = await disburseTotals(db);
    const refusals = {
      projectLeftFen: left,
      httpStatus: overHttp.status,
      httpDetail: (JSON.parse(overHttp.text) as { detail?: string }).detail ?? overHttp.text.slice(0, 200),
      baseline: overBaseline,
      nothingWritten: totalsAfterProbe.count === totalsBeforeProbe.count && totalsAfterProbe.fen === totalsBeforeProbe.fen,
      ok: overHttp.status === 422 && overBaseline.startsWith('refused: project_not_overpaid') && totalsAfterProbe.count === totalsBeforeProbe.count,
    };
    log(`over-payment probe: HTTP ${refusals.httpStatus} (${refusals.httpDetail}); baseline ${refusals.baseline}; nothing written: ${refusals.nothingWritten}`);

    await server.stop();
    server = undefined;
    await baselinePool.end();
    baselinePool = undefined;
    http.close();
    await sampler.stop();
    sampler = undefined;

    // ---- every invariant, on the whole database ----
    t0 = performance.now();
    const invariants = await checkInvariants(db, { newDisbursements: okCount, newDisbursedFen: okFen, before });
    const invariantsMs = Math.round(performance.now() - t0);
    const sample = [templateId, ...Array.from({ length: 30 }, () => ids[randomInt(ids.length)]!)];
    let chainsOk = 0;
    const chainProblems: string[] = [];
    for (const id of new Set(sample)) {
      const check = await verifyProjectChain(db, id);
      if (check.ok) chainsOk += 1;
      else chainProblems.push(`${id}: ${check.problem}`);
    }
    const [fund] = await db.query<Record<string, number>>(
      'SELECT allocated_fen, committed_fen, disbursed_fen, released_fen, recovered_fen FROM fund_balances WHERE fund_id = $1',
      [fundId],
    );
    const [entries] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');

    // ---- figures ----
    const judge = new Judge('ledger', { ...params, projects: ids.length });
    const size = `${ids.length} projects, 1 fund, ${params.concurrency} clients`;
    const ratio = judge.ratioAtLeast(
      `disbursements/s engine / one-statement pg baseline @ ${size}`,
      engine.load.opsPerSecond,
      baseline.load.opsPerSecond,
      'pg: read + one CTE statement, tx/s',
      0.5,
    );
    for (const phase of [engine, baseline, oldBaseline]) {
      judge.require(`${phase.name}: writes match the successes`, phase.writesMatch);
      judge.require(`${phase.name}: no failed operation`, Object.keys(phase.load.failures).length === 0, JSON.stringify(phase.load.failures));
      judge.require(`${phase.name}: ran`, phase.load.ok > 0);
    }
    judge.require('every ledger invariant holds', invariants.every((check) => check.ok), invariants.filter((check) => !check.ok).map((check) => check.name).join('; '));
    judge.require('over-payment refused by HTTP and by the CHECK constraint, nothing written', refusals.ok, JSON.stringify(refusals));
    judge.require('audit chains verify', chainProblems.length === 0 && chainsOk > 0, chainProblems.slice(0, 3).join('; '));
    const sortedPairs = pairs.filter((pair) => pair.ratio !== null).sort((a, b) => a.ratio! - b.ratio!);
    const medianPairRatio = sortedPairs[Math.floor(sortedPairs.length / 2)]?.ratio ?? null;
    const quietest = [...pairs].sort((a, b) => a.otherJobsCores - b.otherJobsCores)[0];
    const allInvariantsOk = invariants.every((check) => check.ok) && refusals.ok && chainProblems.length === 0;
    const results = {
      benchmark: 'ledger',
      timestamp: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine,
      postgres: settings,
      parameters: params,
      notes: [
        "The bench server runs lifecycle rules with tranche.laterTrancheRequires = 'none' (the default 'either' would refuse a second tranche in a row without an on-track inspection or a progress report in between).",
        'All projects are item 5 (category 1) on one fund: every disbursement updates the same fund, category and item balance rows, so both sides serialise on those row locks.',
        'Baseline (judged): read the project row without a lock, check and compute in JS, then ONE autocommitted statement of data-modifying CTEs under the version check (projects, project_events, outbox, project/fund/category/item balances in the engine lock order, ledger_entries); a lost race retries under SELECT FOR UPDATE. Two round trips, like the engine.',
        'Extra (not judged): the old baseline, BEGIN; SELECT project FOR UPDATE; UPDATE project_balances; UPDATE fund_balances; UPDATE fund_category_balances; UPDATE fund_item_balances; INSERT ledger_entries; UPDATE projects; INSERT project_events; INSERT outbox; COMMIT (holds the hot rows across five more round trips).',
      ],
      seeding: { templateProject: templateId, projects: ids.length, seedMs: Math.round(seedMs), commitmentLeftPerProjectFen: Number(shape.left_min) },
      phases: { engine, baseline, extraOldBaseline: oldBaseline },
      ratios: {
        throughput_engineOverBaseline: ratio,
        throughput_engineOverBaseline_medianSlicePair: medianPairRatio,
        p50_engineOverBaseline: baseline.load.latency.p50Ms > 0 ? round(engine.load.latency.p50Ms / baseline.load.latency.p50Ms, 3) : null,
        p99_engineOverBaseline: baseline.load.latency.p99Ms > 0 ? round(engine.load.latency.p99Ms / baseline.load.latency.p99Ms, 3) : null,
        extra_throughput_engineOverOldBaseline: oldBaseline.load.opsPerSecond > 0 ? round(engine.load.opsPerSecond / oldBaseline.load.opsPerSecond, 3) : null,
      },
      quietestSlicePair: quietest ?? null,
      slicePairs: pairs,
      targets: judge.targets,
      failures: judge.failures,
      invariants: { ok: allInvariantsOk, checkMs: invariantsMs, checks: invariants, refusals, auditChains: { checked: new Set(sample).size, ok: chainsOk, problems: chainProblems } },
      fundAtEnd: fund,
      ledgerEntriesAtEnd: entries?.n,
      serverRssMB: serverRss,
    };
    const file = writeResults('ledger.json', results);

    printTable('Disbursements, one fund (closed loop, ms)', [
      ['phase', 'seconds', 'ok', 'ops/s', 'p50', 'p90', 'p99', 'max', 'errors', '409', 'writes ok'],
      ...[engine, baseline, oldBaseline].map((phase) => [
        phase.name,
        phase.load.seconds,
        phase.load.ok,
        phase.load.opsPerSecond,
        fmt(phase.load.latency.p50Ms),
        fmt(phase.load.latency.p90Ms),
        fmt(phase.load.latency.p99Ms),
        fmt(phase.load.latency.maxMs),
        Object.entries(phase.load.failures).map(([key, count]) => `${key}:${count}`).join(' ') || '0',
        phase.load.conflicts,
        phase.writesMatch ? 'yes' : 'NO',
      ]),
    ]);
    printTable('CPU per disbursement (ms) and machine load', [
      ['phase', 'client', 'server', 'postgres', 'total', 'machine busy', 'other jobs ms'],
      ...[engine, baseline, oldBaseline].map((phase) => [
        phase.name,
        fmt(phase.cpuMsPerOp.client, 3),
        fmt(phase.cpuMsPerOp.server, 3),
        fmt(phase.cpuMsPerOp.postgres, 3),
        fmt(phase.cpuMsPerOp.total, 3),
        phase.cpu.machineUtilisation === null ? '-' : `${Math.round(phase.cpu.machineUtilisation * 100)}%`,
        phase.cpu.otherMs,
      ]),
    ]);
    const activities = [...new Set([...Object.keys(engine.postgresActivity.meanBackends), ...Object.keys(baseline.postgresActivity.meanBackends)])];
    printTable('PostgreSQL backends of the bench database by activity (mean count per sample of pg_stat_activity)', [
      ['activity', 'engine', 'baseline', 'extra: old baseline'],
      ...activities.map((activity) => [activity, engine.postgresActivity.meanBackends[activity] ?? 0, baseline.postgresActivity.meanBackends[activity] ?? 0, oldBaseline.postgresActivity.meanBackends[activity] ?? 0]),
    ]);
    if (engine.server) {
      printTable('Server child during the engine slices', [
        ['cpu µs/req', 'event loop busy', 'request ms', 'in db ms', 'queries/req', 'pool waiting', 'statuses'],
        [
          Math.round(engine.server.cpuMsPerRequest * 1000),
          `${Math.round(engine.server.eventLoopUtilisation * 100)}%`,
          engine.server.requestMsMean,
          engine.server.dbMsPerRequest,
          engine.server.queriesPerRequest,
          engine.server.poolWaitingMean,
          JSON.stringify(engine.server.statuses),
        ],
      ]);
    }
    printTable('Interleaved slices (engine slice, then the baseline slice next to it)', [
      ['pair', 'engine ops/s', 'baseline tx/s', 'ratio', 'extra: old baseline tx/s', 'other jobs (cores)'],
      ...pairs.map((pair, index) => [String(index + 1), pair.engineOpsPerSecond, pair.baselineOpsPerSecond, pair.ratio, pair.extraOldBaselineOpsPerSecond, pair.otherJobsCores]),
    ]);
    printTable('Ratios (the judged one is in the targets table below)', [
      ['ratio', 'value', ''],
      ['engine ops/s / one-statement baseline tx/s', ratio, ''],
      ['extra: engine ops/s / old 11-statement baseline tx/s', results.ratios.extra_throughput_engineOverOldBaseline, ''],
      ['  median slice pair', medianPairRatio, ''],
      ['  quietest slice pair', quietest ? `${quietest.ratio} (others ${quietest.otherJobsCores} cores)` : '-', ''],
      ['engine p50 / baseline p50', results.ratios.p50_engineOverBaseline, ''],
      ['engine p99 / baseline p99', results.ratios.p99_engineOverBaseline, ''],
    ]);
    printTable(`Ledger invariants at the end of the run (${entries?.n} ledger entries, checked in ${invariantsMs} ms)`, [
      ['invariant', 'holds', 'detail'],
      ...invariants.map((check) => [check.name, check.ok ? 'yes' : 'NO', check.detail]),
      ['a tranche over the commitment left is refused, nothing written', refusals.ok ? 'yes' : 'NO', `HTTP ${refusals.httpStatus}; baseline ${refusals.baseline}`],
      ['audit hash chains (sample)', chainProblems.length === 0 ? 'yes' : 'NO', `${chainsOk}/${new Set(sample).size} verify`],
    ]);
    console.log(`\nevery ledger invariant holds: ${allInvariantsOk ? 'YES' : 'NO'}`);
    console.log(`bench server lifecycle rules: tranche.laterTrancheRequires = 'none'`);
    log(`results written to ${path.relative(REPO_ROOT, file)}`);
    judge.print();
    return judge.outcome();
  } finally {
    await teardown.release();
  }
}
