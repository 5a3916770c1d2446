import { formatYuan } from '../domain/money.ts';
import type { Cell, CellKind } from './report-document.ts';

/** How a cell reads in HTML (and anywhere text is wanted): money in 元 with separators, percent with %. */
export function formatCell(value: Cell, kind: CellKind): string {
  if (value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'fen':
      return formatYuan(value);
    case 'percent':
      return `${value.toFixed(2)}%`;
    case 'points':
      return value.toFixed(2);
    case 'integer':
      return String(value);
    default:
      return String(value);
  }
}

/** How a cell reads in CSV: numbers without separators (元 with two decimals), so they parse back. */
export function csvCell(value: Cell, kind: CellKind): string | number | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'fen':
      return formatYuan(value).replaceAll(',', '');
    case 'percent':
    case 'points':
      return value.toFixed(2);
    default:
      return value;
  }
}

/** Half-up percentage with two decimals, exact from integer fen: null when the base is 0. */
export function percentOf(part: number | bigint, whole: number | bigint): number | null {
  const numerator = BigInt(part);
  const denominator = BigInt(whole);
  if (denominator <= 0n) return null;
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const hundredthsOfPercent = (2n * abs * 10_000n + denominator) / (2n * denominator);
  return (negative ? -1 : 1) * (Number(hundredthsOfPercent) / 100);
}

/** Sums integer fen exactly; the result is checked to be a safe integer. */
export function sumFenOf(values: Iterable<number>): number {
  let total = 0n;
  for (const value of values) total += BigInt(value);
  const result = Number(total);
  if (!Number.isSafeInteger(result)) throw new RangeError(`sum ${total} fen is outside the safe integer range`);
  return result;
}
