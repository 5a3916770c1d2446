/**
 * Benchmark dispatcher: `npm run bench -- <name>`.
 *
 *   engine      commands/s through HTTP vs a raw pg baseline; 1,000 vs 100,000 projects; transition() cost
 *   ledger      disbursements/s through HTTP against one fund with 1,000 executing projects vs a raw pg baseline
 *   reminders   reminders scheduled/s vs raw queue.addBulk; deliveries/s and lag through the worker vs raw nodemailer; memory
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
const BENCHMARKS: Record<string, { describe: string; run?: () => Promise<void> }> = {
  engine: {
    describe: 'commands/s through HTTP vs a raw pg baseline, 1,000 vs 100,000 projects, transition() cost',
    run: async () => (await import('./engine.bench.ts')).runEngineBench(),
  },
  ledger: {
    describe: 'disbursements/s through HTTP on one fund vs a raw pg baseline; every ledger invariant checked',
    run: async () => (await import('./ledger.bench.ts')).runLedgerBench(),
  },
  reminders: {
    describe: 'scheduling 100,000 reminders vs raw addBulk; 10,000 and 1,000 due at once through the worker vs raw nodemailer; Redis bytes, worker RSS',
    run: async () => (await import('./reminders.bench.ts')).runRemindersBench(),
  },
};

function usage(): string {
  const names = Object.entries(BENCHMARKS)
    .map(([name, bench]) => `  ${name.padEnd(10)} ${bench.describe}`)
    .join('\n');
  return `usage: npm run bench -- <name>\n\nbenchmarks:\n${names}`;
}

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const bench = BENCHMARKS[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"\n\n${usage()}`);
    return 2;
  }
  if (!bench.run) {
    console.error(`benchmark "${name}" is not written yet\n\n${usage()}`);
    return 2;
  }
  await bench.run();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
