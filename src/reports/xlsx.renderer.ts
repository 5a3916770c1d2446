import ExcelJS from 'exceljs';
import { REPORT_BASIS_ZH, REPORT_CLOSING_ZH, type CellKind, type ReportDocument, type ReportTable } from './report-document.ts';

const NUMBER_FORMAT: Partial<Record<CellKind, string>> = {
  fen: '#,##0.00',
  percent: '0.00%',
  points: '0.00',
  integer: '0',
};

/** Money goes in as 元 (fen / 100) with two decimals shown; percent as a fraction with a % format. */
function cellValue(value: string | number | null, kind: CellKind): string | number | null {
  if (value === null || typeof value === 'string') return value;
  if (kind === 'fen') return value / 100;
  if (kind === 'percent') return value / 100;
  return value;
}

function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || '表';
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base.slice(0, 28)}(${n})`;
  taken.add(candidate);
  return candidate;
}

const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

function addTableSheet(workbook: ExcelJS.Workbook, table: ReportTable, name: string): void {
  const sheet = workbook.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = table.columns.map((column) => ({ width: column.width ?? Math.max(10, column.label.length * 2 + 2) }));
  const title = sheet.addRow([table.caption ?? table.name]);
  title.font = { bold: true, size: 13 };
  const header = sheet.addRow(table.columns.map((column) => column.label));
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  const headerRow = header.number;
  const addCells = (cells: ReadonlyArray<string | number | null>, bold = false) => {
    const row = sheet.addRow(table.columns.map((column, index) => cellValue(cells[index] ?? null, column.kind)));
    table.columns.forEach((column, index) => {
      const cell = row.getCell(index + 1);
      const format = NUMBER_FORMAT[column.kind];
      if (format && typeof cell.value === 'number') cell.numFmt = format;
      if (column.kind === 'text') cell.alignment = { wrapText: true, vertical: 'top' };
    });
    if (bold) row.font = { bold: true };
    return row;
  };
  for (const cells of table.rows) addCells(cells);
  if (table.totals) addCells(table.totals, true);
  const lastRow = sheet.rowCount;
  for (let r = headerRow; r <= lastRow; r++) {
    for (let c = 1; c <= table.columns.length; c++) sheet.getCell(r, c).border = BORDER;
  }
  for (const note of table.notes ?? []) sheet.addRow([note]).font = { italic: true, size: 9 };
  sheet.views = [{ state: 'frozen', ySplit: headerRow }];
  sheet.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
}

/**
 * One workbook: a first sheet with the title, facts and text of every section, then one sheet per
 * table (a header row, the rows and a bold 合计 row). Numbers stay numbers so the sheet can sum them.
 */
export async function renderReportXlsx(document: ReportDocument, createdAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '阳城县中小企业发展促进中心';
  workbook.created = createdAt;
  workbook.modified = createdAt;
  const taken = new Set<string>();
  const cover = workbook.addWorksheet(sheetName('报告', taken), { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  cover.columns = [{ width: 24 }, { width: 80 }];
  cover.addRow([document.title]).font = { bold: true, size: 15 };
  if (document.subtitle) cover.addRow([document.subtitle]);
  for (const [label, value] of document.meta) cover.addRow([label, value]);

  const tableSheets: { table: ReportTable; name: string }[] = [];
  for (const section of document.sections) {
    cover.addRow([]);
    cover.addRow([section.heading]).font = { bold: true, size: 12 };
    for (const [label, value] of section.facts ?? []) {
      const row = cover.addRow([label, value]);
      row.getCell(1).font = { bold: true };
      row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    }
    for (const paragraph of section.paragraphs ?? []) {
      const row = cover.addRow([paragraph]);
      cover.mergeCells(row.number, 1, row.number, 2);
      row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    }
    for (const table of section.tables ?? []) {
      const name = sheetName(table.name, taken);
      tableSheets.push({ table, name });
      cover.addRow([`${table.caption ?? table.name}：见工作表「${name}」`]).font = { italic: true };
    }
  }
  cover.addRow([]);
  for (const line of [REPORT_BASIS_ZH, REPORT_CLOSING_ZH]) {
    const row = cover.addRow([line]);
    cover.mergeCells(row.number, 1, row.number, 2);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  }
  for (const { table, name } of tableSheets) addTableSheet(workbook, table, name);
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer as ArrayBuffer);
}
