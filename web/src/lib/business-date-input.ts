/** How a person reads and types a calendar day on the pages (zh-CN: 2026-12-05), the same text the API takes. */
export const BUSINESS_DATE_FORMAT = 'YYYY-MM-DD';

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isBusinessDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}
