/** YC-2024-05-001: county, business year, item (two digits), sequence within them (three or more). */
export function formatProjectCode(county: string, year: number, item: number, sequence: number): string {
  return `${county}-${year}-${String(item).padStart(2, '0')}-${String(sequence).padStart(3, '0')}`;
}
