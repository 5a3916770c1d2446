import { BUSINESS_TIME_ZONE } from './business-date.ts';

/** A sign-in link and its code are good for 15 minutes, once. */
export const SIGN_IN_VALIDITY_MS = 15 * 60_000;

export const SIGN_IN_CODE_PATTERN = /^\d{6}$/;

/**
 * Where to land after signing in: only a path of this site. `//host` and `/\host` are read by
 * browsers as another host, so they are refused like absolute URLs; so are control characters.
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return null;
  return next;
}

const beijing = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 2026-12-01 09:00 in Beijing time (the caller adds （北京时间）). */
export function formatBeijingMinute(instant: Date): string {
  const parts = Object.fromEntries(beijing.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
