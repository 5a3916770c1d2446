import { describe, expect, it } from 'vitest';
import { Judge } from '../bench/support/judge.ts';

/** The benchmarks' judge: a failed baseline is a failure, never a ratio over 1. */
describe('Judge', () => {
  it('a baseline that measured nothing fails the benchmark and meets no target', () => {
    for (const baseline of [0, null, Number.NaN]) {
      const judge = new Judge('x', {});
      expect(judge.ratioAtLeast('ops', 10, baseline, 'raw', 0.5)).toBeNull();
      expect(judge.targets).toEqual([expect.objectContaining({ name: 'ops', value: null, met: false })]);
      expect(judge.failures).toHaveLength(1);
      expect(judge.failures[0]).toContain('baseline');
    }
  });

  it('judges ratios and limits as fixed, and keeps the measured figure', () => {
    const judge = new Judge('x', {});
    expect(judge.ratioAtLeast('fast', 60, 100, 'raw', 0.5)).toBe(0.6);
    expect(judge.ratioAtMost('slow p99', 300, 100, 'raw', 2)).toBe(3);
    judge.atMost('lag', 3_001, 3_000);
    judge.atMost('rss', 150, 200);
    expect(judge.targets.map((t) => [t.name, t.met])).toEqual([
      ['fast', true],
      ['slow p99', false],
      ['lag', false],
      ['rss', true],
    ]);
    expect(judge.targets[0]).toMatchObject({ value: 0.6, measured: 60, baseline: 100 });
    expect(judge.failures).toEqual([]);
  });

  it('a requirement that does not hold is a failure; one that holds is not', () => {
    const judge = new Judge('x', {});
    judge.require('writes match', true);
    judge.require('chains verify', false, '1 of 30 broken');
    expect(judge.failures).toEqual(['chains verify: 1 of 30 broken']);
    expect(judge.outcome()).toMatchObject({ benchmark: 'x', failures: ['chains verify: 1 of 30 broken'] });
  });
});
