/**
 * Benchmark dispatcher: `npm run bench -- <name>`, or `npm run bench -- all` for every one in turn.
 *
 * Each benchmark returns its targets and failures (support/judge.ts); the runner writes
 * bench/results/summary.json and exits non-zero when a benchmark FAILED (threw, its baseline
 * measured nothing, its writes, invariants or audit chains did not match). A target not met is
 * reported (met: false) but is not a failure. To add a benchmark, add one line to BENCHMARKS.
 *
 *   engine      commands/s through HTTP vs a one-statement pg baseline; 1,000 vs 100,000 projects; transition() cost
 *   ledger      disbursements/s through HTTP against one fund with 1,000 executing projects vs a one-statement pg baseline
 *   scheduling  reminders scheduled/s through the real effects worker (backlog; trickle latency) vs raw addBulk
 *   reminders   deliveries/s and lag at the SMTP sink through the worker vs raw nodemailer; memory; batch scheduling (extra)
 *
 * Settings (scheduling): BENCH_SCHED_BACKLOG_PROJECTS (1000: 2,000 effects), BENCH_SCHED_TRICKLE_RATE (20/s),
 * BENCH_SCHED_TRICKLE_SECONDS (10).
 *
 * Settings (engine): BENCH_SECONDS (10), BENCH_PROJECTS (1000), BENCH_LARGE_PROJECTS (100000; 0 skips
 * the growth), BENCH_LARGE_SECONDS (5), BENCH_WARMUP_SECONDS (2), BENCH_CONCURRENCY (32), BENCH_POOL (16),
 * BENCH_CALIBRATION_SECONDS (3; 0 skips the GET /healthz and /readyz floors), BENCH_SINGLE_SECONDS (3; 0
 * skips the 1-client phases), BENCH_MICRO_MS (1000, per transition() figure), BENCH_CPU_PROF=1 (profile
 * the server child; writes engine.cpuprof.json instead of engine.json), BENCH_KEEP_DB=1 (keep the
 * database for a look), BENCH_DATABASE_URL (server for the throw-away database; default
 * postgres://postgres@127.0.0.1:5432/postgres).
 *
 * Quick while developing: BENCH_SECONDS=3 BENCH_PROJECTS=300 BENCH_LARGE_PROJECTS=3000 npm run bench -- engine
 *
 * Settings (ledger): BENCH_SECONDS (20 per side), BENCH_WARMUP_SECONDS (2), BENCH_PROJECTS (1000),
 * BENCH_CONCURRENCY (32), BENCH_POOL (16), BENCH_SLICE_SECONDS (2), BENCH_TRANCHE_MIN_FEN /
 * BENCH_TRANCHE_MAX_FEN (100 / 999), BENCH_KEEP_DB=1. Quick: BENCH_SECONDS=4 npm run bench -- ledger
 *
 * Settings (reminders): BENCH_REMINDERS (100000), BENCH_BATCH_REMINDERS (5000), BENCH_PER_DEADLINE_REMINDERS
 * (5000; 0 skips), BENCH_BURST (10000), BENCH_SMALL_BURST (1000), BENCH_WORKER_CONCURRENCY (16),
 * BENCH_WORKER_DB_POOL (10), BENCH_RAW_CONCURRENCY (16), BENCH_APPENDFSYNC (everysec), BENCH_STALL_SECONDS (60).
 * Quick: BENCH_REMINDERS=10000 BENCH_BURST=2000 BENCH_SMALL_BURST=500 npm run bench -- reminders
 */
import { writeSummary, type BenchOutcome } from './support/judge.ts';

type BenchRun = () => Promise<BenchOutcome | void>;

/** One line per benchmark, run in this order by `all`. */
const BENCHMARKS: Record<string, { describe: string; run: BenchRun }> = {
  engine: { describe: 'commands/s through HTTP vs a one-statement pg baseline, small vs large table, transition() cost', run: async () => (await import('./engine.bench.ts')).runEngineBench() },
  ledger: { describe: 'disbursements/s through HTTP on one fund vs a one-statement pg baseline; every ledger invariant checked', run: async () => (await import('./ledger.bench.ts')).runLedgerBench() },
  web: { describe: 'staff pages: inbox first-load JS, inbox (1,000 tasks) and project page (500 events) interactive in chromium, API p95', run: async () => (await import('./web.bench.ts')).runWebBench() },
  scheduling: { describe: 'reminders scheduled/s through the real effects worker (backlog and trickle) vs raw addBulk', run: async () => (await import('./scheduling.bench.ts')).runSchedulingBench() },
  reminders: { describe: 'deliveries/s and lag timed at the SMTP sink through the worker vs raw nodemailer; batch scheduling (extra); Redis bytes, worker RSS', run: async () => (await import('./reminders.bench.ts')).runRemindersBench() },
  soak: { describe: 'the service under a fixed mix of commands, link decisions and reminders (BENCH_SOAK_SECONDS, 1200): slopes of RSS, loop delay, PG connections, Redis memory; 0 errors', run: async () => (await import('./soak.bench.ts')).runSoakBench() },
};

function usage(): string {
  const names = Object.entries(BENCHMARKS)
    .map(([name, bench]) => `  ${name.padEnd(10)} ${bench.describe}`)
    .join('\n');
  return `usage: npm run bench -- <name>|all\n\nbenchmarks:\n${names}`;
}

/** Runs one benchmark; an exception is a failure of that benchmark, not of the runner. */
async function runOne(name: string, run: BenchRun): Promise<BenchOutcome> {
  try {
    const outcome = await run();
    return outcome ?? { benchmark: name, settings: {}, targets: [], failures: [] };
  } catch (error) {
    console.error(`\nFAILED ${name}:`, error);
    return { benchmark: name, settings: {}, targets: [], failures: [`threw: ${(error as Error)?.message ?? String(error)}`] };
  }
}

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const chosen = name === 'all' ? Object.keys(BENCHMARKS) : [name];
  const unknown = chosen.filter((entry) => !BENCHMARKS[entry]);
  if (unknown.length > 0) {
    console.error(`unknown benchmark "${unknown.join(', ')}"\n\n${usage()}`);
    return 2;
  }
  const outcomes: BenchOutcome[] = [];
  for (const entry of chosen) outcomes.push(await runOne(entry, BENCHMARKS[entry]!.run));
  writeSummary(outcomes, name === 'all');
  const failed = outcomes.filter((outcome) => outcome.failures.length > 0);
  const targets = outcomes.flatMap((outcome) => outcome.targets);
  console.log(`\nsummary: ${targets.filter((t) => t.met).length}/${targets.length} targets met; ${failed.length ? `FAILED: ${failed.map((o) => o.benchmark).join(', ')}` : 'no benchmark failed'} (bench/results/summary.json)`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
