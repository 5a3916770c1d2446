/**
 * The engine benchmark: commands per second through the whole HTTP path (express, auth, zod,
 * rehydrate, transition, one-statement write) against a raw-SQL baseline measured in the same run,
 * and how latency holds up from 1,000 to 100,000 executing projects.
 *
 * Phases: seed (one real executing project through the engine, then bulk clones with their own
 * hash chains) -> pure transition() cost in this process -> server child -> engine (32 clients,
 * HTTP, REPORT_PROGRESS) and the baseline (judged: 32 clients, pg Pool of 16, the best plain
 * implementation: read the row, then ONE autocommitted statement of CTEs under the version check
 * writing the snapshot, the audit event and the outbox row, retried under FOR UPDATE when it lost
 * the race; support/baseline-write.ts writeInOneStatement) and the old baseline (extra, not judged:
 * BEGIN/SELECT FOR UPDATE/UPDATE/INSERT event/INSERT outbox/COMMIT, five round trips) in alternating slices -> HTTP floors (GET /healthz, /readyz)
 * -> 1-client runs with a server-side breakdown of one command -> grow to 100,000 -> engine and
 * baseline again, and 1 client again -> audit chains re-verified on a sample.
 *
 *   npm run bench -- engine
 *   BENCH_SECONDS=3 BENCH_PROJECTS=300 BENCH_LARGE_PROJECTS=5000 npm run bench -- engine   (quick)
 *   BENCH_CPU_PROF=1 npm run bench -- engine   (server child under --cpu-prof; summary in the results)
 *
 * Writes bench/results/engine.json (engine.cpuprof.json when profiling: profiled figures are slower).
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inLockedProject, writeBaselineEvent, writeInOneStatement } from './support/baseline-write.ts';
import { Judge, type BenchOutcome } from './support/judge.ts';
import { findProject } from '../../src/store/projects.store.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import type { Database } from '../../src/store/database.ts';
import type { BenchServerStats } from './bench-server.ts';
import { createBenchDatabase, keepOrDrop, serverSettings, teardownOnce, type BenchDatabase } from './support/bench-db.ts';
import { keepAliveClient, runClosedLoop, summariseLoad, type LoadResult, type RawLoad } from './support/load.ts';
import { measureTransitionCost, type TransitionCost } from './support/micro.ts';
import { memoryOf, mergeCpuAccounts, round, startCpuAccount, type CpuAccount, type MemoryReading } from './support/proc.ts';
import { SOCKET_WRITE_AREA, summariseCpuProfile, type ProfileSummary } from './support/profile.ts';
import { envNumber, fmt, machineInfo, printTable, RESULTS_DIR, writeResults } from './support/report.ts';
import { actorOf, createTemplateProject, seedingEngine, seedUsers, settleAfterLoad, templateCloner, verifyProjectChain } from './support/seed.ts';
import { REPO_ROOT, startServerChild, type ServerChild } from './support/server-child.ts';

const PERIOD = { periodStart: '2024-10-01', periodEnd: '2024-12-31' } as const;

type Operation = () => Promise<{ outcome: string; detail?: string }>;

/** One engine slice and the baseline slice next to it. */
interface SlicePair {
  engineOpsPerSecond: number;
  baselineOpsPerSecond: number;
  ratio: number;
  /** CPU the rest of the machine (other jobs) used meanwhile, in cores. */
  otherJobsCores: number;
}

interface Slice {
  raw: RawLoad;
  cpu: CpuAccount;
  server?: BenchServerStats;
  writesMatch: boolean;
}

interface PhaseResult {
  name: string;
  projects: number;
  /** Measured slices the phase was run in (interleaved with the baseline's). */
  slices: number;
  load: LoadResult;
  cpu: CpuAccount;
  /** CPU ms per successful operation, by process. */
  cpuMsPerOp: { client: number; server: number | null; postgres: number; total: number };
  server?: BenchServerStats;
  rss: { serverChild?: MemoryReading; parent?: MemoryReading };
  /** Versions written during the phase equal the successful operations (nothing lost, nothing doubled). */
  writesMatch: boolean;
}

function log(message: string): void {
  console.log(`[bench engine] ${message}`);
}

async function sumOfVersions(db: Database): Promise<number> {
  const [row] = await db.query<{ total: number }>('SELECT sum(version)::bigint AS total FROM projects');
  return Number(row?.total ?? 0);
}

/** The server's view of several slices of one phase. */
function mergeServerStats(parts: BenchServerStats[]): BenchServerStats {
  if (parts.length === 1) return parts[0]!;
  const requests = parts.reduce((sum, part) => sum + part.requests, 0);
  const durations = parts.map((part) => part.windowUs[1] - part.windowUs[0]);
  const wallUs = durations.reduce((sum, value) => sum + value, 0) || 1;
  const byRequests = (pick: (part: BenchServerStats) => number) =>
    requests ? parts.reduce((sum, part) => sum + pick(part) * part.requests, 0) / requests : 0;
  const byTime = (pick: (part: BenchServerStats) => number) => parts.reduce((sum, part, index) => sum + pick(part) * durations[index]!, 0) / wallUs;
  const statuses: Record<string, number> = {};
  for (const part of parts) for (const [status, count] of Object.entries(part.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  const cpuMs = { user: parts.reduce((sum, part) => sum + part.cpuMs.user, 0), system: parts.reduce((sum, part) => sum + part.cpuMs.system, 0) };
  return {
    windowUs: [parts[0]!.windowUs[0], parts.at(-1)!.windowUs[1]],
    requests,
    statuses,
    eventLoopUtilisation: round(byTime((part) => part.eventLoopUtilisation), 3),
    eventLoopDelayMs: {
      p50: round(byTime((part) => part.eventLoopDelayMs.p50), 2),
      p99: Math.max(...parts.map((part) => part.eventLoopDelayMs.p99)),
      max: Math.max(...parts.map((part) => part.eventLoopDelayMs.max)),
    },
    cpuMs,
    cpuMsPerRequest: requests ? round((cpuMs.user + cpuMs.system) / requests, 3) : 0,
    requestMsMean: round(byRequests((part) => part.requestMsMean), 3),
    queriesPerRequest: round(byRequests((part) => part.queriesPerRequest), 2),
    dbMsPerRequest: round(byRequests((part) => part.dbMsPerRequest), 3),
    poolWaitingMean: round(byTime((part) => part.poolWaitingMean ?? 0), 2),
    poolWaitingMax: Math.max(...parts.map((part) => part.poolWaitingMax)),
    soloRequests: null,
    memoryMB: parts.at(-1)!.memoryMB,
  };
}

function cpuPerOp(cpu: CpuAccount, ok: number) {
  const per = (ms: number | null) => (ms === null || ok === 0 ? null : round(ms / ok, 3));
  const postgres = cpu.postgresBackendsMs + cpu.postgresBackgroundMs;
  return {
    client: per(cpu.clientMs)!,
    server: per(cpu.serverMs),
    postgres: per(postgres)!,
    total: per(cpu.clientMs + (cpu.serverMs ?? 0) + postgres)!,
  };
}

export async function runEngineBench(): Promise<BenchOutcome> {
  const params = {
    seconds: envNumber('BENCH_SECONDS', 10),
    largeSeconds: envNumber('BENCH_LARGE_SECONDS', Math.min(5, envNumber('BENCH_SECONDS', 10))),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
    projects: Math.max(1, Math.floor(envNumber('BENCH_PROJECTS', 1000))),
    largeProjects: Math.floor(envNumber('BENCH_LARGE_PROJECTS', 100_000)),
    concurrency: Math.max(1, Math.floor(envNumber('BENCH_CONCURRENCY', 32))),
    serverPoolSize: Math.max(1, Math.floor(envNumber('BENCH_POOL', 16))),
    baselinePoolSize: Math.max(1, Math.floor(envNumber('BENCH_POOL', 16))),
    tokenCacheSeconds: 5,
    cloneBatch: 1000,
    microTargetMs: envNumber('BENCH_MICRO_MS', 1000),
    calibrationSeconds: envNumber('BENCH_CALIBRATION_SECONDS', Math.min(3, envNumber('BENCH_SECONDS', 10))),
    singleClientSeconds: envNumber('BENCH_SINGLE_SECONDS', Math.min(3, envNumber('BENCH_SECONDS', 10))),
    /** Engine and baseline alternate in slices of about this length (E B B E ...). */
    sliceSeconds: Math.max(0.5, envNumber('BENCH_SLICE_SECONDS', 2)),
    cpuProfile: process.env.BENCH_CPU_PROF === '1',
    event: { type: 'REPORT_PROGRESS', ...PERIOD, indicators: [{ indicatorId: 'OUT1', value: '<n>' }] },
  };
  const machine = machineInfo();
  const startedAt = new Date();
  log(`${machine.cpus} cores, node ${machine.node}; ${params.projects} then ${params.largeProjects} projects, ${params.concurrency} clients, ${params.seconds}s / ${params.largeSeconds}s phases`);

  let bench: BenchDatabase | undefined;
  let db: Database | undefined;
  let server: ServerChild | undefined;
  let baselinePool: pg.Pool | undefined;
  const teardown = teardownOnce(log, 'interrupted: stopping the server and dropping the database', async () => {
    await server?.stop().catch(() => {});
    await baselinePool?.end().catch(() => {});
    await db?.close().catch(() => {});
    await keepOrDrop(bench, log);
  });

  try {
    // ---- database, users, the template project, the first clones ----
    bench = await createBenchDatabase();
    db = openPgDatabase(bench.url, 4);
    await migrate(db);
    const settings = await serverSettings(bench.url);
    const users = await seedUsers(db);
    const deps = seedingEngine(db);
    const templateId = await createTemplateProject(deps, users);
    const cloner = await templateCloner(db, templateId, params.cloneBatch);
    let t0 = performance.now();
    const smallIds = [templateId, ...(await cloner.clone(params.projects - 1))];
    const seedSmallMs = performance.now() - t0;
    t0 = performance.now();
    await settleAfterLoad(db);
    const settleSmallMs = performance.now() - t0;
    log(`seeded ${smallIds.length} executing projects in ${(seedSmallMs / 1000).toFixed(1)} s (+${(settleSmallMs / 1000).toFixed(1)} s vacuum/checkpoint)`);

    // ---- the pure cost of a command, measured in this process before the server starts ----
    const templateRow = (await findProject(db, templateId))!;
    const transitionCost: TransitionCost = measureTransitionCost({
      machine: deps.machine,
      row: templateRow,
      actor: actorOf(users.applicant),
      targetMs: params.microTargetMs,
    });
    log(`restore + transition ${transitionCost.restorePlusTransitionUs} µs/event, transition alone ${transitionCost.transitionUs} µs/event`);

    // ---- the HTTP server in its own process ----
    const profileDir = params.cpuProfile ? path.join(RESULTS_DIR, 'profiles') : undefined;
    if (profileDir) {
      fs.mkdirSync(profileDir, { recursive: true });
      for (const old of fs.readdirSync(profileDir)) if (old.endsWith('.cpuprofile')) fs.rmSync(path.join(profileDir, old));
      fs.writeFileSync(path.join(profileDir, '.gitignore'), '*\n');
    }
    server = await startServerChild({
      databaseUrl: bench.url,
      poolSize: params.serverPoolSize,
      tokenCacheSeconds: params.tokenCacheSeconds,
      ...(profileDir ? { cpuProfileDir: profileDir } : {}),
    });
    log(`server child pid ${server.pid} at ${server.baseUrl}${params.cpuProfile ? ' (under --cpu-prof)' : ''}`);
    const http = keepAliveClient(server.baseUrl, params.concurrency);
    const token = users.applicant.token;
    let counter = 0;
    const engineOperation = (ids: string[]) => async () => {
      const id = ids[randomInt(ids.length)]!;
      counter += 1;
      const response = await http.post(`/api/v1/projects/${id}/events`, token, {
        type: 'REPORT_PROGRESS',
        ...PERIOD,
        indicators: [{ indicatorId: 'OUT1', value: counter % 1000 }],
      });
      return response.status === 200 ? { outcome: 'ok' } : { outcome: String(response.status), detail: response.text };
    };

    // ---- the raw baseline through pg: a Pool in this process, no HTTP, no machine ----
    baselinePool = new pg.Pool({ connectionString: bench.url, max: params.baselinePoolSize });
    baselinePool.on('error', () => {});
    const pool = baselinePool;
    const baselineOperation = (ids: string[]) => async () => {
      const id = ids[randomInt(ids.length)]!;
      counter += 1;
      const value = counter % 1000;
      await writeInOneStatement(pool, id, (row) => {
        const at = new Date().toISOString();
        const payload = { ...PERIOD, indicators: [{ indicatorId: 'OUT1', value }] };
        // The same change recordProgress makes, by hand: the snapshot written has the engine's size and stays restorable.
        const context = row.snapshot.context;
        context.progressReportCount = (context.progressReportCount ?? 0) + 1;
        context.lastProgress = { at, periodEnd: PERIOD.periodEnd, values: { ...(context.lastProgress?.values ?? {}), OUT1: value } };
        const seq = row.version + 1;
        return {
          eventType: 'REPORT_PROGRESS',
          actor: { id: users.applicant.id, role: 'applicant' },
          payload,
          at,
          outboxPayload: { projectId: id, seq, template: 'project.progress-reported', to: ['center'] },
        };
      });
      return { outcome: 'ok' };
    };
    /** Extra, not judged: the old baseline, one statement per step inside BEGIN ... COMMIT. */
    const oldBaselineOperation = (ids: string[]) => async () => {
      const id = ids[randomInt(ids.length)]!;
      counter += 1;
      return inLockedProject(pool, id, async (client, row) => {
        const at = new Date().toISOString();
        const payload = { ...PERIOD, indicators: [{ indicatorId: 'OUT1', value: counter % 1000 }] };
        // The same change recordProgress makes, by hand: the snapshot written has the engine's size and stays restorable.
        const context = row.snapshot.context;
        context.progressReportCount = (context.progressReportCount ?? 0) + 1;
        context.lastProgress = { at, periodEnd: PERIOD.periodEnd, values: { ...(context.lastProgress?.values ?? {}), OUT1: counter % 1000 } };
        const seq = row.version + 1;
        await writeBaselineEvent(client, {
          id,
          row,
          eventType: 'REPORT_PROGRESS',
          actor: { id: users.applicant.id, role: 'applicant' },
          payload,
          at,
          outboxPayload: { projectId: id, seq, template: 'project.progress-reported', to: ['center'] },
        });
        return { outcome: 'ok' };
      });
    };

    /** The measured windows on the server's clock: the CPU profile is cut to the engine's. */
    const profileWindows: [number, number][] = [];

    /** One measured slice: the load, the CPU it cost where, the server's own view, what it wrote. */
    const runSlice = async (kind: 'engine' | 'server' | 'baseline' | 'oldBaseline', operation: Operation, seconds: number, concurrency: number): Promise<Slice> => {
      const versionsBefore = kind === 'server' ? 0 : await sumOfVersions(db!);
      if (kind === 'engine' || kind === 'server') await server!.reset();
      const endCpu = startCpuAccount(bench!.name, server!.pid);
      const raw = await runClosedLoop(concurrency, seconds, operation);
      const cpu = endCpu();
      const stats = kind === 'engine' || kind === 'server' ? await server!.stats() : undefined;
      if (kind === 'engine' && stats) profileWindows.push(stats.windowUs);
      const written = kind === 'server' ? raw.latencies.length : (await sumOfVersions(db!)) - versionsBefore;
      return { raw, cpu, ...(stats ? { server: stats } : {}), writesMatch: written === raw.latencies.length };
    };

    const phaseOf = (name: string, projects: number, slices: Slice[], serverWasIdle: boolean): PhaseResult => {
      const load = summariseLoad(slices.map((slice) => slice.raw));
      const cpu = mergeCpuAccounts(slices.map((slice) => slice.cpu));
      const servers = slices.flatMap((slice) => (slice.server ? [slice.server] : []));
      const result: PhaseResult = {
        name,
        projects,
        slices: slices.length,
        load,
        cpu,
        // The server child idles during the baseline: its CPU is left out of the baseline's per-transaction figures.
        cpuMsPerOp: cpuPerOp(serverWasIdle ? { ...cpu, serverMs: 0 } : cpu, load.ok),
        ...(servers.length ? { server: mergeServerStats(servers) } : {}),
        rss: { serverChild: memoryOf(server!.pid), parent: memoryOf(process.pid) },
        writesMatch: slices.every((slice) => slice.writesMatch),
      };
      log(`${name}: ${load.opsPerSecond} ops/s, p50 ${load.latency.p50Ms} ms, p99 ${load.latency.p99Ms} ms, failures ${JSON.stringify(load.failures)}, 409 ${load.conflicts}`);
      return result;
    };

    /**
     * The engine and the baseline in alternating slices (E B B E E B ...), so that whatever else the
     * machine runs meanwhile weighs on both alike: their ratio is what this benchmark reports.
     */
    const engineVersusBaseline = async (ids: string[], seconds: number): Promise<{ engine: PhaseResult; baseline: PhaseResult; oldBaseline: PhaseResult; pairs: SlicePair[] }> => {
      const sliceCount = Math.max(1, Math.round(seconds / params.sliceSeconds));
      const sliceSeconds = seconds / sliceCount;
      if (params.warmupSeconds > 0) {
        await runClosedLoop(params.concurrency, params.warmupSeconds, engineOperation(ids));
        await runClosedLoop(params.concurrency, Math.min(1, params.warmupSeconds), baselineOperation(ids));
        await runClosedLoop(params.concurrency, Math.min(1, params.warmupSeconds), oldBaselineOperation(ids));
      }
      const engineSlices: Slice[] = [];
      const baselineSlices: Slice[] = [];
      const oldBaselineSlices: Slice[] = [];
      for (let i = 0; i < sliceCount; i += 1) {
        const order = i % 2 === 0 ? (['engine', 'baseline', 'oldBaseline'] as const) : (['oldBaseline', 'baseline', 'engine'] as const);
        for (const kind of order) {
          if (kind === 'engine') engineSlices.push(await runSlice('engine', engineOperation(ids), sliceSeconds, params.concurrency));
          else if (kind === 'baseline') baselineSlices.push(await runSlice('baseline', baselineOperation(ids), sliceSeconds, params.concurrency));
          else oldBaselineSlices.push(await runSlice('oldBaseline', oldBaselineOperation(ids), sliceSeconds, params.concurrency));
        }
      }
      // Each engine slice next to its baseline slice: how the ratio moves with what else the machine ran.
      const pairs: SlicePair[] = engineSlices.map((engineSlice, i) => {
        const baselineSlice = baselineSlices[i]!;
        const rate = (slice: Slice) => slice.raw.latencies.length / (slice.raw.seconds || 1);
        return {
          engineOpsPerSecond: round(rate(engineSlice), 1),
          baselineOpsPerSecond: round(rate(baselineSlice), 1),
          ratio: rate(baselineSlice) > 0 ? round(rate(engineSlice) / rate(baselineSlice), 3) : Number.NaN,
          otherJobsCores: round(((engineSlice.cpu.otherMs ?? 0) + (baselineSlice.cpu.otherMs ?? 0)) / 1000 / (engineSlice.cpu.seconds + baselineSlice.cpu.seconds || 1), 2),
        };
      });
      return {
        engine: phaseOf(`engine @ ${ids.length} projects`, ids.length, engineSlices, false),
        baseline: phaseOf(`baseline pg one statement @ ${ids.length} projects`, ids.length, baselineSlices, true),
        oldBaseline: phaseOf(`extra: old baseline pg 5 statements in a tx @ ${ids.length} projects`, ids.length, oldBaselineSlices, true),
        pairs,
      };
    };

    /** A single-kind phase (the HTTP floors, the 1-client runs). */
    const plainPhase = async (name: string, kind: 'engine' | 'server' | 'baseline', operation: Operation, seconds: number, concurrency: number, projects: number) => {
      if (params.warmupSeconds > 0) await runClosedLoop(concurrency, Math.min(1, params.warmupSeconds), operation);
      return phaseOf(name, projects, [await runSlice(kind, operation, seconds, concurrency)], kind !== 'engine' && kind !== 'server');
    };

    // ---- 1,000 projects: the engine over HTTP against the baseline, interleaved ----
    const small = await engineVersusBaseline(smallIds, params.seconds);
    const engineSmall = small.engine;
    const baseline = small.baseline;
    const oldBaseline = small.oldBaseline;
    const pairs: Record<string, SlicePair[]> = { [`${smallIds.length}`]: small.pairs };

    // ---- calibration: the same server, client and concurrency without the engine ----
    // GET /healthz is express + helmet + a JSON answer; GET /readyz adds one SELECT 1 through the pool.
    // What a command costs above them is the engine's own work (two statements, rehydrate, transition, view).
    const calibration: PhaseResult[] = [];
    if (params.calibrationSeconds > 0) {
      const probe = (probePath: string) => async () => {
        const response = await http.get(probePath);
        return response.status === 200 ? { outcome: 'ok' } : { outcome: String(response.status), detail: response.text };
      };
      calibration.push(await plainPhase('floor: GET /healthz (HTTP only)', 'server', probe('/healthz'), params.calibrationSeconds, params.concurrency, 0));
      calibration.push(await plainPhase('floor: GET /readyz (HTTP + SELECT 1)', 'server', probe('/readyz'), params.calibrationSeconds, params.concurrency, 0));
    }

    // ---- one client at a time: latency without queueing, and (server side) where one command's time goes ----
    const single: PhaseResult[] = [];
    if (params.singleClientSeconds > 0) {
      single.push(await plainPhase(`baseline pg one statement, 1 client @ ${smallIds.length}`, 'baseline', baselineOperation(smallIds), params.singleClientSeconds, 1, smallIds.length));
      single.push(await plainPhase(`engine, 1 client @ ${smallIds.length}`, 'engine', engineOperation(smallIds), params.singleClientSeconds, 1, smallIds.length));
    }

    // ---- grow to 100,000 and run the engine (and the baseline, interleaved) again ----
    let largeIds = smallIds;
    let engineLarge: PhaseResult | undefined;
    let baselineLarge: PhaseResult | undefined;
    let seedLargeMs = 0;
    let settleLargeMs = 0;
    if (params.largeProjects > smallIds.length) {
      t0 = performance.now();
      let lastReport = 0;
      const extra = await cloner.clone(params.largeProjects - smallIds.length, (done) => {
        if (done - lastReport >= 20_000) {
          lastReport = done;
          log(`  cloned ${done + 1} / ${params.largeProjects}`);
        }
      });
      seedLargeMs = performance.now() - t0;
      t0 = performance.now();
      await settleAfterLoad(db);
      settleLargeMs = performance.now() - t0;
      largeIds = smallIds.concat(extra);
      log(`grew to ${largeIds.length} executing projects in ${(seedLargeMs / 1000).toFixed(1)} s (+${(settleLargeMs / 1000).toFixed(1)} s vacuum/checkpoint)`);
      const large = await engineVersusBaseline(largeIds, params.largeSeconds);
      engineLarge = large.engine;
      baselineLarge = large.baseline;
      pairs[`${largeIds.length}`] = large.pairs;
      if (params.singleClientSeconds > 0) {
        single.push(await plainPhase(`engine, 1 client @ ${largeIds.length}`, 'engine', engineOperation(largeIds), params.singleClientSeconds, 1, largeIds.length));
      }
    }
    await baselinePool.end();
    baselinePool = undefined;
    http.close();
    const tableSizes = await db.query<{ relation: string; size: string; rows: number }>(
      `SELECT relname AS relation, pg_size_pretty(pg_total_relation_size(c.oid)) AS size, c.reltuples::bigint AS rows
         FROM pg_class c WHERE relname IN ('projects', 'project_events', 'outbox') ORDER BY relname`,
    );

    // ---- every write kept the audit chain valid: the template, some of the first 1,000, some of the rest ----
    const sample = [templateId, ...Array.from({ length: 20 }, () => smallIds[randomInt(smallIds.length)]!), ...Array.from({ length: 20 }, () => largeIds[randomInt(largeIds.length)]!)];
    let chainsOk = 0;
    const chainProblems: string[] = [];
    for (const id of new Set(sample)) {
      const check = await verifyProjectChain(db, id);
      if (check.ok) chainsOk += 1;
      else chainProblems.push(`${id}: ${check.problem}`);
    }

    const serverRssEnd = memoryOf(server.pid);
    await server.stop();
    server = undefined;
    let profile: ProfileSummary | undefined;
    if (profileDir) {
      // One profile per thread (the main thread and tsx's loader worker): keep the busiest, the main thread's.
      const summaries = fs
        .readdirSync(profileDir)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => summariseCpuProfile(path.join(profileDir, name), REPO_ROOT, profileWindows));
      profile = summaries.sort((a, b) => b.busyMs - a.busyMs)[0];
      if (profile) log(`server CPU profile: ${path.relative(REPO_ROOT, profile.file)}`);
    }

    // ---- figures ----
    // Targets fixed before measuring: throughput >= 0.5 and p99 <= 2x the one-statement baseline at the
    // small size; p50 at the large size within 20% of the small one, each over the baseline p50 of the
    // slices next to it (the machine's drift divided out). The other ratios are reported, not judged.
    const judge = new Judge('engine', { ...params, projects: smallIds.length, largeProjects: largeIds.length });
    const div = (a: number | null | undefined, b: number | null | undefined) => (a !== null && a !== undefined && b ? round(a / b, 3) : null);
    const ratio = judge.ratioAtLeast(
      `commands/s engine / one-statement pg baseline @ ${smallIds.length} projects, ${params.concurrency} clients`,
      engineSmall.load.opsPerSecond,
      baseline.load.opsPerSecond,
      'pg: read + one CTE statement, tx/s',
      0.5,
    );
    const p99Ratio = judge.ratioAtMost(
      `p99 ms engine / one-statement pg baseline @ ${smallIds.length} projects, ${params.concurrency} clients`,
      engineSmall.load.latency.p99Ms,
      baseline.load.latency.p99Ms,
      'pg: read + one CTE statement, p99 ms',
      2,
    );
    const p50Ratio = div(engineSmall.load.latency.p50Ms, baseline.load.latency.p50Ms);
    const largeP50Ratio = engineLarge ? div(engineLarge.load.latency.p50Ms, engineSmall.load.latency.p50Ms) : null;
    const largeThroughputRatio = engineLarge ? div(engineLarge.load.opsPerSecond, engineSmall.load.opsPerSecond) : null;
    // The same comparison with the machine's drift divided out: each size's engine p50 over the
    // baseline p50 measured in the slices next to it (the baseline also runs on the bigger table).
    const largeP50RatioNormalised =
      engineLarge && baselineLarge
        ? div(div(engineLarge.load.latency.p50Ms, baselineLarge.load.latency.p50Ms), div(engineSmall.load.latency.p50Ms, baseline.load.latency.p50Ms))
        : null;
    if (engineLarge && baselineLarge) {
      judge.atMost(
        `|p50 @ ${largeIds.length} / p50 @ ${smallIds.length} - 1|, each engine p50 over its interleaved baseline p50`,
        largeP50RatioNormalised === null ? null : round(Math.abs(largeP50RatioNormalised - 1), 3),
        0.2,
        `ratio ${largeP50RatioNormalised}`,
      );
    }
    for (const phase of [engineSmall, baseline, oldBaseline, ...(engineLarge ? [engineLarge] : []), ...(baselineLarge ? [baselineLarge] : []), ...single]) {
      judge.require(`${phase.name}: versions written = successes`, phase.writesMatch);
      judge.require(`${phase.name}: no failed operation`, Object.keys(phase.load.failures).length === 0, JSON.stringify(phase.load.failures));
      judge.require(`${phase.name}: ran`, phase.load.ok > 0);
    }
    judge.require('audit chains verify', chainProblems.length === 0 && chainsOk > 0, chainProblems.slice(0, 3).join('; '));
    // And without queueing at all: one client, p50 at each size.
    const singleSmall = single.find((phase) => phase.name.startsWith('engine, 1 client') && phase.projects === smallIds.length);
    const singleLarge = single.find((phase) => phase.name.startsWith('engine, 1 client') && phase.projects === largeIds.length && largeIds !== smallIds);
    const largeP50RatioSingleClient = singleSmall && singleLarge ? div(singleLarge.load.latency.p50Ms, singleSmall.load.latency.p50Ms) : null;
    // The slice pair during which the rest of the machine was quietest, and the median pair.
    const quietest = [...small.pairs].sort((a, b) => a.otherJobsCores - b.otherJobsCores)[0];
    const medianPairRatio = [...small.pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(small.pairs.length / 2)]?.ratio ?? null;
    const within20 = (value: number | null) => (value === null ? null : Math.abs(value - 1) <= 0.2);
    const targets = {
      throughputRatioAtLeast0_5: ratio !== null && ratio >= 0.5,
      p99AtMost2xBaseline: p99Ratio !== null && p99Ratio <= 2,
      p50Within20PercentAtLarge: within20(largeP50Ratio),
      p50Within20PercentAtLarge_normalisedByBaseline: within20(largeP50RatioNormalised),
      p50Within20PercentAtLarge_oneClient: within20(largeP50RatioSingleClient),
    };
    const results = {
      benchmark: 'engine',
      timestamp: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine,
      postgres: settings,
      parameters: params,
      seeding: {
        templateProject: templateId,
        projects: smallIds.length,
        seedMs: Math.round(seedSmallMs),
        settleMs: Math.round(settleSmallMs),
        largeProjects: largeIds.length,
        growMs: Math.round(seedLargeMs),
        growSettleMs: Math.round(settleLargeMs),
        cloneTimings: cloner.timings(),
        tableSizesAtEnd: tableSizes,
      },
      phases: { engineSmall, baseline, extraOldBaseline: oldBaseline, ...(engineLarge ? { engineLarge } : {}), ...(baselineLarge ? { baselineLarge } : {}), calibration, singleClient: single },
      ratios: {
        throughput_engineOverBaseline: ratio,
        p99_engineOverBaseline: p99Ratio,
        p50_engineOverBaseline: p50Ratio,
        p50_largeOverSmall: largeP50Ratio,
        p50_largeOverSmall_normalisedByBaseline: largeP50RatioNormalised,
        p50_largeOverSmall_oneClient: largeP50RatioSingleClient,
        throughput_largeOverSmall: largeThroughputRatio,
        throughput_engineOverBaseline_large: engineLarge && baselineLarge ? div(engineLarge.load.opsPerSecond, baselineLarge.load.opsPerSecond) : null,
        extra_throughput_engineOverOldBaseline: div(engineSmall.load.opsPerSecond, oldBaseline.load.opsPerSecond),
        throughput_engineOverBaseline_medianSlicePair: medianPairRatio,
      },
      /** engine / baseline in the slice pair during which the rest of the machine used the least CPU. */
      quietestSlicePair: quietest ? { ratio: quietest.ratio, otherJobsCores: quietest.otherJobsCores } : null,
      slicePairs: pairs,
      targets,
      judged: judge.targets,
      failures: judge.failures,
      rss: {
        serverChildMB: { afterSmall: engineSmall.rss.serverChild, afterLarge: engineLarge?.rss.serverChild, atEnd: serverRssEnd },
        parentMB: { afterSmall: baseline.rss.parent, afterLarge: baselineLarge?.rss.parent, atEnd: memoryOf(process.pid) },
      },
      transitionCost,
      auditChains: { checked: new Set(sample).size, ok: chainsOk, problems: chainProblems },
      ...(profile ? { serverCpuProfile: { ...profile, layers: groupProfile(profile) } } : {}),
    };
    const file = writeResults(params.cpuProfile ? 'engine.cpuprof.json' : 'engine.json', results);
    printSummary(results, engineSmall, baseline, oldBaseline, engineLarge, baselineLarge, calibration, single, transitionCost, profile);
    log(`results written to ${path.relative(REPO_ROOT, file)}`);
    judge.print();
    return judge.outcome();
  } finally {
    await teardown.release();
  }
}

function printSummary(
  results: {
    ratios: Record<string, number | null>;
    quietestSlicePair: { ratio: number; otherJobsCores: number } | null;
    targets: Record<string, boolean | null>;
    slicePairs: Record<string, SlicePair[]>;
    auditChains: { checked: number; ok: number };
  },
  engineSmall: PhaseResult,
  baseline: PhaseResult,
  oldBaseline: PhaseResult,
  engineLarge: PhaseResult | undefined,
  baselineLarge: PhaseResult | undefined,
  calibration: PhaseResult[],
  single: PhaseResult[],
  cost: TransitionCost,
  profile: ProfileSummary | undefined,
): void {
  const phases = [engineSmall, baseline, oldBaseline, ...(engineLarge ? [engineLarge] : []), ...(baselineLarge ? [baselineLarge] : []), ...calibration, ...single];
  const failures = (phase: PhaseResult) => {
    const entries = Object.entries(phase.load.failures);
    return entries.length ? entries.map(([key, count]) => `${key}:${count}`).join(' ') : '0';
  };
  printTable('Throughput and latency (closed loop, ms)', [
    ['phase', 'seconds', 'ok', 'ops/s', 'p50', 'p90', 'p99', 'max', 'errors', '409', 'writes ok'],
    ...phases.map((phase) => [
      phase.name,
      phase.load.seconds,
      phase.load.ok,
      phase.load.opsPerSecond,
      fmt(phase.load.latency.p50Ms),
      fmt(phase.load.latency.p90Ms),
      fmt(phase.load.latency.p99Ms),
      fmt(phase.load.latency.maxMs),
      failures(phase),
      phase.load.conflicts,
      phase.writesMatch ? 'yes' : 'NO',
    ]),
  ]);
  printTable('CPU per operation (ms) and machine load', [
    ['phase', 'client', 'server', 'postgres', 'total', 'machine busy', 'other jobs ms'],
    ...phases.map((phase) => [
      phase.name,
      fmt(phase.cpuMsPerOp.client, 3),
      fmt(phase.cpuMsPerOp.server, 3),
      fmt(phase.cpuMsPerOp.postgres, 3),
      fmt(phase.cpuMsPerOp.total, 3),
      phase.cpu.machineUtilisation === null ? '-' : `${Math.round(phase.cpu.machineUtilisation * 100)}%`,
      phase.cpu.otherMs,
    ]),
  ]);
  const enginePhases = [engineSmall, ...(engineLarge ? [engineLarge] : []), ...calibration, ...single.filter((phase) => phase.server)];
  printTable('Server child (its own view of each phase it served)', [
    ['phase', 'cpu µs/req', 'event loop busy', 'loop delay p99', 'request ms', 'in db ms', 'queries/req', 'pool waiting', 'rss MB'],
    ...enginePhases.map((phase) => [
      phase.name,
      phase.server ? Math.round(phase.server.cpuMsPerRequest * 1000) : '-',
      phase.server ? `${Math.round(phase.server.eventLoopUtilisation * 100)}%` : '-',
      phase.server?.eventLoopDelayMs.p99,
      phase.server?.requestMsMean,
      phase.server?.dbMsPerRequest,
      phase.server?.queriesPerRequest,
      phase.server?.poolWaitingMean,
      phase.rss.serverChild?.rssMB,
    ]),
  ]);
  const solos = single.flatMap((phase) => (phase.server?.soloRequests ? [{ name: phase.name, solo: phase.server.soloRequests }] : []));
  if (solos.length) {
    printTable('One command with the server to itself (1 client): server-side µs per segment', [
      ['segment', ...solos.map(({ name }) => name.replace('engine, 1 client', 'engine'))],
      ...Object.keys(solos[0]!.solo.segmentsUs).map((segment) => [segment, ...solos.map(({ solo }) => solo.segmentsUs[segment])]),
      ['total wall', ...solos.map(({ solo }) => solo.wallUs)],
      ['server CPU', ...solos.map(({ solo }) => solo.cpuUs)],
      ['requests', ...solos.map(({ solo }) => solo.count)],
    ]);
  }
  for (const [size, list] of Object.entries(results.slicePairs)) {
    printTable(`Interleaved slices @ ${size} projects (engine slice, then the baseline slice next to it)`, [
      ['pair', 'engine ops/s', 'baseline tx/s', 'ratio', 'other jobs (cores)'],
      ...list.map((pair, index) => [String(index + 1), pair.engineOpsPerSecond, pair.baselineOpsPerSecond, pair.ratio, pair.otherJobsCores]),
    ]);
  }
  printTable('Ratios (the judged ones are in the targets table at the end; baseline = the one-statement pg baseline)', [
    ['ratio', 'value', 'within target'],
    ['engine cmds/s / baseline tx/s', results.ratios.throughput_engineOverBaseline, String(results.targets.throughputRatioAtLeast0_5)],
    ['engine p99 / baseline p99', results.ratios.p99_engineOverBaseline, String(results.targets.p99AtMost2xBaseline)],
    ['engine p50 / baseline p50', results.ratios.p50_engineOverBaseline, ''],
    ['extra: engine cmds/s / old 5-statement baseline tx/s', results.ratios.extra_throughput_engineOverOldBaseline, ''],
    ['p50 large / p50 small', results.ratios.p50_largeOverSmall, String(results.targets.p50Within20PercentAtLarge)],
    ['  same, each over its interleaved baseline p50 (judged)', results.ratios.p50_largeOverSmall_normalisedByBaseline, String(results.targets.p50Within20PercentAtLarge_normalisedByBaseline)],
    ['  same, 1 client (no queueing)', results.ratios.p50_largeOverSmall_oneClient, String(results.targets.p50Within20PercentAtLarge_oneClient)],
    ['engine / baseline cmds/s at the large size', results.ratios.throughput_engineOverBaseline_large, ''],
    ['engine / baseline cmds/s, median slice pair', results.ratios.throughput_engineOverBaseline_medianSlicePair, ''],
    [
      'engine / baseline cmds/s, quietest slice pair',
      results.quietestSlicePair ? `${results.quietestSlicePair.ratio} (others ${results.quietestSlicePair.otherJobsCores} cores)` : '-',
      '',
    ],
    ['cmds/s large / cmds/s small', results.ratios.throughput_largeOverSmall, ''],
  ]);
  const memory = (reading: MemoryReading | undefined) => (reading ? `${reading.rssMB} (peak ${reading.peakRssMB})` : '-');
  printTable('Memory (RSS MB) at the end of each size', [
    ['process', `${engineSmall.projects} projects`, engineLarge ? `${engineLarge.projects} projects` : '-'],
    ['server child', memory(engineSmall.rss.serverChild), memory(engineLarge?.rss.serverChild)],
    ['parent (client + baseline pool)', memory(engineSmall.rss.parent), memory(engineLarge?.rss.parent)],
  ]);
  printTable('Pure cost of one REPORT_PROGRESS (µs, this process)', [
    ['step', 'µs'],
    ['restore + transition (per event)', cost.restorePlusTransitionUs],
    ['transition alone', cost.transitionUs],
    ...Object.entries(cost.steps).map(([step, us]) => [`  ${step}`, us]),
    ['  sum of the steps above', cost.engineJsUs],
    ['inside transition(): createActor(machine) for the inert scope', cost.xstateInternals.inertActorUs],
    ['  machine.transition() on a reused scope (the real work)', cost.xstateInternals.machineTransitionReusedScopeUs],
    ['  machine.resolveState(stored) (restore without an actor)', cost.xstateInternals.resolveStateUs],
  ]);
  if (profile) {
    printTable(`Server CPU profile, engine phases only: self time by area (${profile.busyMs} ms busy of ${profile.wallMs} ms)`, [
      ['area', 'ms', '%'],
      ...profile.byArea.slice(0, 15).map((entry) => [entry.area, entry.ms, entry.percent]),
    ]);
    // The profile gives shares; the server's measured CPU per command turns them into µs.
    const phasesProfiled = [engineSmall, ...(engineLarge ? [engineLarge] : [])];
    const requests = phasesProfiled.reduce((sum, phase) => sum + (phase.server?.requests ?? 0), 0);
    const serverCpuMs = phasesProfiled.reduce((sum, phase) => sum + (phase.server ? phase.server.cpuMs.user + phase.server.cpuMs.system : 0), 0);
    const usPerCommand = (percent: number) => (requests ? Math.round((percent / 100) * ((serverCpuMs * 1000) / requests)) : '-');
    printTable(
      `Server CPU profile: self time charged to the nearest package / fundflow frame (${requests} commands, ${requests ? ((serverCpuMs * 1000) / requests).toFixed(0) : '-'} µs server CPU each)`,
      [['owner', '%', '≈ µs/command'], ...profile.byOwner.slice(0, 20).map((entry) => [entry.area, entry.percent, usPerCommand(entry.percent)])],
    );
    const groups = groupProfile(profile);
    printTable('Server CPU profile by layer (socket-write samples, mostly preemption on this busy machine, left out of the µs)', [
      ['layer', '% of samples', '≈ µs/command'],
      ...groups.map((group) => [group.group, group.percent, group.group === SOCKET_WRITE_AREA ? '-' : requests ? Math.round((group.shareOfCpu * serverCpuMs * 1000) / requests) : '-']),
    ]);
    printTable('Server CPU profile: inclusive time (fundflow and library frames)', [
      ['function', 'area', 'ms', '%'],
      ...profile.topInclusive.map((entry) => [entry.fn, entry.area, entry.ms, entry.percent]),
    ]);
    printTable('Server CPU profile: top functions by self time', [
      ['function', 'area', 'ms', '%'],
      ...profile.topSelf.map((entry) => [entry.fn, entry.area, entry.ms, entry.percent]),
    ]);
  }
  console.log(`\naudit chains re-verified: ${results.auditChains.ok}/${results.auditChains.checked}`);
}

const LAYERS: [RegExp, string][] = [
  [/^\(socket write syscalls\)$/, SOCKET_WRITE_AREA],
  [/^(express|router|body-parser|raw-body|helmet|on-finished|finalhandler|etag|send|content-type|type-is|qs|iconv-lite|statuses|depd|media-typer|mime-types|negotiator|accepts|cookie|vary|encodeurl|escape-html|parseurl|merge-descriptors|http-errors|fresh|range-parser|path-to-regexp|fundflow src\/http|node:_http_.*|node:http|node:net|node:streams|node:stream|node:events|node:url|node:querystring|node:buffer|node:dns|node:timers)$/, 'HTTP: node http + express + middleware'],
  [/^(pg|pg-pool|pg-protocol|pg-types|postgres-.*|pg-connection-string|pgpass|buffer-writer|packet-reader|fundflow src\/store)$/, 'pg driver + store'],
  [/^(xstate|fundflow machines)$/, 'xstate + the machine'],
  [/^fundflow (src\/engine|src\/domain|config)$/, 'fundflow engine + domain'],
  [/^zod$/, 'zod'],
  [/^prom-client$/, 'prom-client'],
  [/^\(garbage collector\)$/, 'GC'],
];

/** The profile's owners folded into layers; shareOfCpu leaves the socket-write samples out. */
function groupProfile(profile: ProfileSummary): { group: string; percent: number; shareOfCpu: number }[] {
  const byGroup = new Map<string, number>();
  for (const entry of profile.byOwner) {
    const group = LAYERS.find(([pattern]) => pattern.test(entry.area))?.[1] ?? 'other (node internals, program, bench wrapper)';
    byGroup.set(group, (byGroup.get(group) ?? 0) + entry.ms);
  }
  const total = [...byGroup.values()].reduce((sum, ms) => sum + ms, 0) || 1;
  const withoutWrites = total - (byGroup.get(SOCKET_WRITE_AREA) ?? 0) || 1;
  return [...byGroup.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([group, ms]) => ({ group, percent: round((100 * ms) / total, 1), shareOfCpu: group === SOCKET_WRITE_AREA ? 0 : ms / withoutWrites }));
}
