import fs from 'node:fs';
import path from 'node:path';
import { printTable, RESULTS_DIR } from './report.ts';

/**
 * One judged figure: its value, the baseline it is measured against (null when it has none), the
 * target as fixed before measuring, and whether it was met. A ratio whose baseline failed or
 * measured nothing is never met: there is no `baseline || 1`.
 */
export interface Target {
  name: string;
  /** For a ratio: the ratio; otherwise the figure itself. */
  value: number | string | null;
  /** For a ratio: the figure measured, before dividing by the baseline. */
  measured?: number | null;
  baseline: number | string | null;
  baselineName: string | null;
  target: string;
  met: boolean;
  detail?: string;
}

/** What a benchmark hands the runner: every target, every failure (baseline, writes, invariants, chains). */
export interface BenchOutcome {
  benchmark: string;
  settings: Record<string, unknown>;
  targets: Target[];
  failures: string[];
}

const usable = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

/** Collects a benchmark's targets and failures, prints them, and says FAILED when something failed. */
export class Judge {
  readonly targets: Target[] = [];
  readonly failures: string[] = [];

  constructor(
    readonly benchmark: string,
    readonly settings: Record<string, unknown>,
  ) {}

  /** value / baseline >= atLeast (throughput); fails the benchmark when the baseline measured nothing. */
  ratioAtLeast(name: string, value: number | null, baseline: number | null, baselineName: string, atLeast: number, detail?: string): number | null {
    return this.ratio(name, value, baseline, baselineName, (ratio) => ratio >= atLeast, `>= ${atLeast}`, detail);
  }

  /** value / baseline <= atMost (latency); fails the benchmark when the baseline measured nothing. */
  ratioAtMost(name: string, value: number | null, baseline: number | null, baselineName: string, atMost: number, detail?: string): number | null {
    return this.ratio(name, value, baseline, baselineName, (ratio) => ratio <= atMost, `<= ${atMost}`, detail);
  }

  /** An absolute figure (a latency, a size) against a limit fixed before measuring. */
  atMost(name: string, value: number | null, limit: number, detail?: string): void {
    const met = typeof value === 'number' && Number.isFinite(value) && value <= limit;
    if (value === null || !Number.isFinite(value)) this.fail(`${name}: nothing was measured`);
    this.targets.push({ name, value, baseline: null, baselineName: null, target: `<= ${limit}`, met, ...(detail ? { detail } : {}) });
  }

  /** Something that must hold for the figures to mean anything: when it does not, the benchmark FAILED. */
  require(name: string, ok: boolean, detail?: string): void {
    if (!ok) this.fail(`${name}${detail ? `: ${detail}` : ''}`);
  }

  fail(reason: string): void {
    this.failures.push(reason);
  }

  private ratio(
    name: string,
    value: number | null,
    baseline: number | null,
    baselineName: string,
    test: (ratio: number) => boolean,
    target: string,
    detail?: string,
  ): number | null {
    if (!usable(baseline)) this.fail(`${name}: the baseline (${baselineName}) measured nothing (${baseline}); no ratio`);
    if (value === null || !Number.isFinite(value)) this.fail(`${name}: nothing was measured`);
    const ratio = usable(baseline) && value !== null && Number.isFinite(value) ? Math.round((value / baseline) * 1000) / 1000 : null;
    this.targets.push({ name, value: ratio, measured: value, baseline, baselineName, target, met: ratio !== null && test(ratio), ...(detail ? { detail } : {}) });
    return ratio;
  }

  outcome(): BenchOutcome {
    return { benchmark: this.benchmark, settings: this.settings, targets: this.targets, failures: this.failures };
  }

  /** Prints the targets and, when anything failed, FAILED with the reasons. */
  print(): void {
    printTable(`Targets (${this.benchmark}; fixed before measuring)`, [
      ['target', 'value', 'baseline', 'wanted', 'met'],
      ...this.targets.map((t) => [t.name, t.value, t.baseline === null ? '-' : `${t.baseline} (${t.baselineName})`, t.target, t.met ? 'yes' : 'NO']),
    ]);
    const met = this.targets.filter((t) => t.met).length;
    console.log(`\n${this.benchmark}: ${met}/${this.targets.length} targets met`);
    if (this.failures.length > 0) {
      console.log(`\nFAILED ${this.benchmark}:`);
      for (const reason of this.failures) console.log(`  - ${reason}`);
    }
  }
}

export const SUMMARY_FILE = path.join(RESULTS_DIR, 'summary.json');

/**
 * Writes bench/results/summary.json: every benchmark's targets (value, baseline, met or not) and
 * failures. A benchmark run alone replaces its own entry and keeps the others'.
 */
export function writeSummary(outcomes: BenchOutcome[], replaceAll: boolean): void {
  let previous: { benchmarks?: Record<string, unknown> } = {};
  if (!replaceAll && fs.existsSync(SUMMARY_FILE)) {
    try {
      previous = JSON.parse(fs.readFileSync(SUMMARY_FILE, 'utf8')) as typeof previous;
    } catch {
      previous = {};
    }
  }
  const benchmarks: Record<string, unknown> = { ...(previous.benchmarks ?? {}) };
  for (const outcome of outcomes) benchmarks[outcome.benchmark] = { writtenAt: new Date().toISOString(), ...outcome, failed: outcome.failures.length > 0 };
  const all = Object.values(benchmarks) as (BenchOutcome & { failed: boolean })[];
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    SUMMARY_FILE,
    `${JSON.stringify(
      {
        targetsMet: all.reduce((sum, b) => sum + b.targets.filter((t) => t.met).length, 0),
        targets: all.reduce((sum, b) => sum + b.targets.length, 0),
        failed: all.filter((b) => b.failed).map((b) => b.benchmark),
        benchmarks,
      },
      null,
      2,
    )}\n`,
  );
}
