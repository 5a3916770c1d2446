/**
 * Benchmark dispatcher: `npm run bench -- <name>`.
 *
 *   engine      commands/s through HTTP vs a raw pg baseline; 1,000 vs 100,000 projects; transition() cost
 *   ledger      (not written yet)
 *   reminders   (not written yet)
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
 */
const BENCHMARKS: Record<string, { describe: string; run?: () => Promise<void> }> = {
  engine: {
    describe: 'commands/s through HTTP vs a raw pg baseline, 1,000 vs 100,000 projects, transition() cost',
    run: async () => (await import('./engine.bench.ts')).runEngineBench(),
  },
  ledger: { describe: 'ledger postings (not written yet)' },
  reminders: { describe: 'reminder scheduling and delivery (not written yet)' },
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
