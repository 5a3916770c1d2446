import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/infra/coalesce.ts';

/** A run the test finishes by hand, recording the batches it was given. */
function manualRun() {
  const batches: number[][] = [];
  const pending: { inputs: number[]; finish: (fail?: Error) => void }[] = [];
  const run = (inputs: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(inputs);
      pending.push({ inputs, finish: (fail) => (fail ? reject(fail) : resolve(inputs.map((n) => `answer ${n}`))) });
    });
  return { run, batches, pending };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesce', () => {
  it('runs a call at once when idle, and batches the calls made while every run is busy', async () => {
    const { run, batches, pending } = manualRun();
    const call = coalesce(run, { inFlight: 1, maxBatch: 3 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => call(n));
    expect(batches).toEqual([[1]]);
    pending.shift()!.finish();
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    pending.shift()!.finish();
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    pending.shift()!.finish();
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `answer ${n}`));
  });

  it('a failed run fails each of its calls and nothing else', async () => {
    const { run, pending } = manualRun();
    const call = coalesce(run, { inFlight: 1, maxBatch: 10 });
    const first = call(1);
    const [second, third] = [call(2), call(3)];
    pending.shift()!.finish();
    await settle();
    pending.shift()!.finish(new Error('deadlock detected'));
    await expect(first).resolves.toBe('answer 1');
    await expect(second).rejects.toThrow('deadlock detected');
    await expect(third).rejects.toThrow('deadlock detected');
    const later = call(4);
    pending.shift()!.finish();
    await expect(later).resolves.toBe('answer 4');
  });

  it('a run that answers the wrong number of calls fails them instead of answering wrongly', async () => {
    const call = coalesce(async (inputs: number[]) => inputs.slice(1), { inFlight: 1, maxBatch: 10 });
    await expect(call(1)).rejects.toThrow('0 answers to 1 calls');
  });

  it('whatever the timing: every call gets its own answer, runs never exceed inFlight or maxBatch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        async (inFlight, maxBatch, delays) => {
          let running = 0;
          let most = 0;
          const sizes: number[] = [];
          const call = coalesce(
            async (inputs: number[]) => {
              running += 1;
              most = Math.max(most, running);
              sizes.push(inputs.length);
              for (let i = 0; i < (inputs[0]! % 3) + 1; i += 1) await settle();
              running -= 1;
              return inputs.map((n) => n * 10);
            },
            { inFlight, maxBatch },
          );
          const answers: Promise<number>[] = [];
          for (const [index, delay] of delays.entries()) {
            for (let i = 0; i < delay; i += 1) await settle();
            answers.push(call(index));
          }
          expect(await Promise.all(answers)).toEqual(delays.map((_, index) => index * 10));
          expect(most).toBeLessThanOrEqual(inFlight);
          expect(Math.max(...sizes)).toBeLessThanOrEqual(maxBatch);
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(delays.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
