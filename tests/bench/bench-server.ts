/**
 * The fundflow HTTP app as the benchmarks run it: in its own process, so that the load generator
 * and the server do not share one event loop. Composes createApp over openPgDatabase exactly as
 * src/main.ts does (API only: no workers, no Redis probe).
 *
 *   BENCH_SERVER_DATABASE_URL=postgres://... [BENCH_SERVER_POOL=16] [BENCH_SERVER_RULES='{"tranche":{...}}'] npx tsx tests/bench/bench-server.ts
 *
 * Prints one JSON line {"port": N} on stdout once it listens. When started with an IPC channel it
 * also answers {type:'reset'} and {type:'stats'} (its own view of a phase: event-loop utilisation,
 * CPU, time inside database calls) and {type:'stop'} (exits cleanly, so --cpu-prof writes its file).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DEFAULT_LIFECYCLE_RULES, lifecycleRulesSchema } from '../../config/lifecycle-rules.ts';
import { requiredMaterialsSchema } from '../../config/required-materials.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import { createApp } from '../../src/http/app.ts';
import type { Database } from '../../src/store/database.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';

const url = process.env.BENCH_SERVER_DATABASE_URL;
if (!url) {
  console.error('bench-server: set BENCH_SERVER_DATABASE_URL');
  process.exit(2);
}
const poolSize = Number(process.env.BENCH_SERVER_POOL ?? 16);
const tokenCacheSeconds = Number(process.env.BENCH_SERVER_TOKEN_CACHE_SECONDS ?? 5);
/** Lifecycle rules as JSON (parsed by the config schema, defaults filled in); absent: the defaults. */
const rulesJson = process.env.BENCH_SERVER_RULES;
/** Required materials as JSON (config/required-materials.ts schema); absent: the defaults. */
const materialsJson = process.env.BENCH_SERVER_REQUIRED_MATERIALS;

/** Counters the server keeps about itself during a phase. */
const stats = {
  requests: 0,
  requestMs: 0,
  statuses: {} as Record<string, number>,
  queries: 0,
  queryMs: 0,
  poolWaitingSamples: 0,
  poolWaitingSum: 0,
  poolWaitingMax: 0,
};

/**
 * Where one command's time goes, measured on requests that had the server to themselves (no other
 * request in flight from start to finish: a 1-client phase). Marks: the request arrives, the load
 * query starts and ends, the engine asks for the time (after rehydrate and authorise, before
 * transition), the write statement starts and ends, the answer is sent.
 */
interface RequestMarks {
  start: number;
  cpu: NodeJS.CpuUsage;
  queries: [number, number][];
  now?: number;
  overlapped: boolean;
}
const SEGMENTS = [
  'http + express + auth + zod (to the load query)',
  'load query (round trip, row parse)',
  'rehydrate + authorise',
  'transition + hash + view + persisted snapshot',
  'write statement (round trip)',
  'answer: res.json + send + metrics',
] as const;
const NO_CPU: NodeJS.CpuUsage = { user: 0, system: 0 };
let inflight = 0;
let current: RequestMarks | undefined;
const segments = { count: 0, sumsMs: SEGMENTS.map(() => 0), wallMs: 0, cpuMs: 0 };

function recordSegments(marks: RequestMarks, end: number): void {
  if (marks.overlapped || marks.queries.length !== 2 || marks.now === undefined) return;
  const [[loadStart, loadEnd], [writeStart, writeEnd]] = marks.queries as [[number, number], [number, number]];
  const points = [marks.start, loadStart, loadEnd, marks.now, writeStart, writeEnd, end];
  if (points.some((point, index) => index > 0 && point < points[index - 1]!)) return;
  segments.count += 1;
  for (let i = 0; i < SEGMENTS.length; i += 1) segments.sumsMs[i]! += points[i + 1]! - points[i]!;
  segments.wallMs += end - marks.start;
  const cpu = process.cpuUsage(marks.cpu);
  segments.cpuMs += (cpu.user + cpu.system) / 1000;
}

/** Wraps the database port to time every call: the difference to the request time is this process's own work. */
function timed(inner: Database): Database {
  return {
    kind: inner.kind,
    async query<Row>(sql: string, params?: readonly unknown[], name?: string): Promise<Row[]> {
      const marks = current;
      const t0 = performance.now();
      try {
        // The statement name goes through: the hot path's statements stay prepared, as in src/main.ts.
        return await inner.query<Row>(sql, params, name);
      } finally {
        const t1 = performance.now();
        stats.queries += 1;
        stats.queryMs += t1 - t0;
        marks?.queries.push([t0, t1]);
      }
    },
    transaction: (work) => inner.transaction((tx) => work(timed(tx))),
    close: () => inner.close(),
  };
}

const inner = openPgDatabase(url, poolSize);
// The pool is private to PgDatabase; read only for the waiting-clients gauge (undefined when absent).
const pool = (inner as unknown as { pool?: { waitingCount: number } }).pool;
const db = timed(inner);
const rules = rulesJson ? lifecycleRulesSchema.parse(JSON.parse(rulesJson)) : DEFAULT_LIFECYCLE_RULES;
const engine: EngineDeps = {
  db,
  machine: createProjectMachine(rules),
  rules,
  ...(materialsJson ? { requiredMaterials: requiredMaterialsSchema.parse(JSON.parse(materialsJson)) } : {}),
  countyCode: 'YC',
  now: () => {
    if (current) current.now = performance.now();
    return new Date();
  },
};
const { app } = createApp({
  engine,
  publicUrl: 'http://127.0.0.1',
  bodyLimit: '256kb',
  tokenCacheSeconds,
  logError: (error) => console.error('bench-server: unexpected', error),
});

const server = http.createServer((req, res) => {
  const t0 = performance.now();
  inflight += 1;
  if (current && inflight > 1) current.overlapped = true;
  // process.cpuUsage() is a syscall: only taken for requests that may end up alone (1-client phases).
  const marks: RequestMarks = { start: t0, cpu: inflight > 1 ? NO_CPU : process.cpuUsage(), queries: [], overlapped: inflight > 1 };
  current = marks;
  res.on('finish', () => {
    const end = performance.now();
    inflight -= 1;
    if (current === marks) current = undefined;
    recordSegments(marks, end);
    stats.requests += 1;
    stats.requestMs += end - t0;
    stats.statuses[res.statusCode] = (stats.statuses[res.statusCode] ?? 0) + 1;
  });
  app(req, res);
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let eluStart = performance.eventLoopUtilization();
let cpuStart = process.cpuUsage();
const poolSampler = setInterval(() => {
  if (!pool) return;
  stats.poolWaitingSamples += 1;
  stats.poolWaitingSum += pool.waitingCount;
  stats.poolWaitingMax = Math.max(stats.poolWaitingMax, pool.waitingCount);
}, 5);
poolSampler.unref();

/** Measured windows on the monotonic clock in µs (the clock V8's CPU profiles use), so a profile can be cut to them. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
let windowStartUs = nowUs();

function reset(): void {
  windowStartUs = nowUs();
  Object.assign(stats, { requests: 0, requestMs: 0, statuses: {}, queries: 0, queryMs: 0, poolWaitingSamples: 0, poolWaitingSum: 0, poolWaitingMax: 0 });
  Object.assign(segments, { count: 0, sumsMs: SEGMENTS.map(() => 0), wallMs: 0, cpuMs: 0 });
  eluStart = performance.eventLoopUtilization();
  cpuStart = process.cpuUsage();
  loopDelay.reset();
  loopDelay.enable();
}

function report() {
  const elu = performance.eventLoopUtilization(eluStart);
  const cpu = process.cpuUsage(cpuStart);
  const memory = process.memoryUsage();
  const per = (value: number) => (stats.requests ? value / stats.requests : 0);
  return {
    windowUs: [windowStartUs, nowUs()] as [number, number],
    requests: stats.requests,
    statuses: stats.statuses,
    eventLoopUtilisation: Number(elu.utilization.toFixed(3)),
    eventLoopDelayMs: {
      p50: Number((loopDelay.percentile(50) / 1e6).toFixed(2)),
      p99: Number((loopDelay.percentile(99) / 1e6).toFixed(2)),
      max: Number((loopDelay.max / 1e6).toFixed(2)),
    },
    cpuMs: { user: Math.round(cpu.user / 1000), system: Math.round(cpu.system / 1000) },
    cpuMsPerRequest: Number(per((cpu.user + cpu.system) / 1000).toFixed(3)),
    requestMsMean: Number(per(stats.requestMs).toFixed(3)),
    queriesPerRequest: Number(per(stats.queries).toFixed(2)),
    dbMsPerRequest: Number(per(stats.queryMs).toFixed(3)),
    poolWaitingMean: stats.poolWaitingSamples ? Number((stats.poolWaitingSum / stats.poolWaitingSamples).toFixed(2)) : null,
    poolWaitingMax: stats.poolWaitingMax,
    /** Only requests that had the server to themselves (a 1-client phase); null when there were none. */
    soloRequests: segments.count
      ? {
          count: segments.count,
          wallUs: Math.round((segments.wallMs * 1000) / segments.count),
          cpuUs: Math.round((segments.cpuMs * 1000) / segments.count),
          segmentsUs: Object.fromEntries(SEGMENTS.map((name, i) => [name, Math.round((segments.sumsMs[i]! * 1000) / segments.count)])),
        }
      : null,
    memoryMB: {
      rss: Number((memory.rss / 2 ** 20).toFixed(1)),
      heapUsed: Number((memory.heapUsed / 2 ** 20).toFixed(1)),
      heapTotal: Number((memory.heapTotal / 2 ** 20).toFixed(1)),
    },
  };
}
export type BenchServerStats = ReturnType<typeof report>;

let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.close().catch(() => {});
  process.exit(code);
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    reset();
    process.send?.({ type: 'reset-done' });
  } else if (message.type === 'stats') {
    process.send?.({ type: 'stats', stats: report() });
  } else if (message.type === 'stop') {
    void stop(0);
  }
});
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);
});
