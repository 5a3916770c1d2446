import { toCsv } from '../domain/csv.ts';
import type { ReportDocument } from './report-document.ts';
import { csvCell } from './report-format.ts';

/** The document's CSV table (Chinese header row, 元 without separators, the totals row last). */
export function renderReportCsv(document: ReportDocument): string {
  const table = document.csvTable;
  const rows = [...table.rows, ...(table.totals ? [table.totals] : [])].map((cells) =>
    table.columns.map((column, index) => csvCell(cells[index] ?? null, column.kind)),
  );
  return toCsv(
    table.columns.map((column) => column.label),
    rows,
  );
}
