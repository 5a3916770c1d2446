import { QUALIFICATIONS, type QualificationId } from '../../config/qualifications.ts';

/** Rank of a beneficiary's best qualification (0 = national little giant); unqualified last. */
export function qualificationRank(qualifications: readonly QualificationId[]): number {
  const ranks = qualifications.map((id) => QUALIFICATIONS.findIndex((q) => q.id === id)).filter((rank) => rank >= 0);
  return ranks.length ? Math.min(...ranks) : QUALIFICATIONS.length;
}

export function isProvincialOrAbove(qualifications: readonly QualificationId[]): boolean {
  return qualifications.some((id) => QUALIFICATIONS.find((q) => q.id === id)?.provincialOrAbove);
}

/**
 * Item 11's listing reserve list: provincial-level-and-above 专精特新 firms first (national little
 * giants before provincial ones), then the rest; within a rank, the earlier entry first.
 */
export function orderListingReserve<T extends { qualifications: QualificationId[]; since: string | null; code: string }>(entries: T[]): T[] {
  return [...entries].sort(
    (a, b) =>
      qualificationRank(a.qualifications) - qualificationRank(b.qualifications) ||
      (a.since ?? '9999').localeCompare(b.since ?? '9999') ||
      a.code.localeCompare(b.code),
  );
}
