import { z } from 'zod';

/** Business dates are calendar days in Asia/Shanghai, written YYYY-MM-DD. */
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

export const businessDateSchema = z.iso.date('must be a date written YYYY-MM-DD');

// Made on first use: a formatter with a time zone loads the zone data, which a browser importing
// this module for the state diagram would otherwise pay on every page load.
let formatter: Intl.DateTimeFormat | undefined;

/** The Asia/Shanghai calendar day of an instant. */
export function businessDateOf(instant: Date): string {
  formatter ??= new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return formatter.format(instant);
}

export function businessYearOf(instant: Date): number {
  return Number(businessDateOf(instant).slice(0, 4));
}

/** Compares two YYYY-MM-DD dates; lexical order is calendar order for this format. */
export function compareBusinessDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return shifted.toISOString().slice(0, 10);
}
