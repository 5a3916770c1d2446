/** A further page after the rows shown: a row seen already (the list moved meanwhile) is not shown twice. */
export function appendPage<Row extends { id: string }>(shown: readonly Row[], page: readonly Row[]): Row[] {
  const seen = new Set(shown.map((row) => row.id));
  return [...shown, ...page.filter((row) => !seen.has(row.id))];
}
