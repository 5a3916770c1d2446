import { formatYuan } from '../../../src/domain/money-format.ts';

/**
 * What a person reads: money in 元 from integer fen, times in Beijing time. Money stays integer
 * fen in code; only these functions turn it into text, and parseYuanToFen turns text back into
 * fen with string arithmetic (no float ever holds an amount).
 */

/** 120000000 → "1,200,000.00 元", with the server's own formatter (fen are integers; the split is exact). */
export function formatFen(fen: number | null | undefined, unit = ' 元'): string {
  if (fen === null || fen === undefined || !Number.isSafeInteger(fen)) return '—';
  return `${formatYuan(fen)}${unit}`;
}

/** "1,200,000.5" or "1200000.50" → 120000050 fen; null when the text is not an amount with at most two decimals. */
export function parseYuanToFen(text: string): number | null {
  const cleaned = text.replace(/[,，\s元]/g, '');
  const match = /^(\d{1,14})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Integer fen as the plain yuan text an input shows ("1200000.50"). */
export function fenToYuanText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/**
 * Beijing time is UTC+8 all year: China has kept no daylight saving time since September 1991, and
 * every record here is later. Plain arithmetic rather than Intl.DateTimeFormat with a time zone,
 * whose first use loads the browser's time zone data (about 40 ms on every page load).
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

function partsOf(instant: Date): { year: string; month: string; day: string; hour: string; minute: string } {
  const iso = new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString(); // 2026-12-01T09:00:00.000Z, read as Beijing wall time
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10), hour: iso.slice(11, 13), minute: iso.slice(14, 16) };
}

/** An instant as Beijing date and minute: "2026-12-01 09:00". */
export function formatBeijing(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const instant = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(instant.getTime())) return '—';
  const p = partsOf(instant);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The Beijing calendar day of an instant: "2026-12-01". */
export function beijingDateOf(instant: Date): string {
  const p = partsOf(instant);
  return `${p.year}-${p.month}-${p.day}`;
}

/** A business date (already a Beijing calendar day) as 2026年12月1日. */
export function formatBusinessDate(date: string | null | undefined): string {
  if (!date) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return match ? `${match[1]}年${Number(match[2])}月${Number(match[3])}日` : date;
}

export type DueStatus = 'overdue' | 'today' | 'upcoming';

/** How a due date stands against today's Beijing date (both YYYY-MM-DD, so text order is date order). */
export function dueStatusOf(dueDate: string, today: string): DueStatus {
  const due = dueDate.slice(0, 10);
  if (due < today) return 'overdue';
  if (due === today) return 'today';
  return 'upcoming';
}

/** Whole days from today to the due date (negative when overdue). */
export function daysUntil(dueDate: string, today: string): number {
  const toUtc = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round((toUtc(dueDate.slice(0, 10)) - toUtc(today)) / 86_400_000);
}
