import { z } from 'zod';

/**
 * Money is integer fen. JSON carries it as an integer no larger than 10^15 fen (10 trillion 元),
 * which is far below 2^53, so a JSON number is exact; sums are done in bigint.
 */
export const MAX_FEN = 1_000_000_000_000_000;

export const fenSchema = z
  .int('must be an integer number of fen (分), not a fraction')
  .min(0, 'must not be negative')
  .max(MAX_FEN, 'must not exceed 10^15 fen');

export const positiveFenSchema = fenSchema.refine((fen) => fen > 0, 'must be more than 0 fen');

export function sumFen(amounts: Iterable<number | bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += BigInt(amount);
  return total;
}

// Kept apart from the zod schemas above so that the staff pages can format money without loading zod.
export { formatYuan } from './money-format.ts';
