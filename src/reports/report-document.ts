import { BASIS_DOCUMENTS } from '../../config/plan.ts';
/**
 * The neutral shape every report is rendered from: a title, facts, sections of paragraphs and
 * tables. The builders produce report data (JSON) and one ReportDocument; the HTML, XLSX and CSV
 * renderers know nothing about any particular report.
 */

/** How a cell is shown: money is integer fen, percent is a number of percent (75.5 = 75.5%). */
export type CellKind = 'text' | 'integer' | 'fen' | 'points' | 'percent' | 'number';

export type Cell = string | number | null;

export interface Column {
  label: string;
  kind: CellKind;
  /** Spreadsheet column width in characters. */
  width?: number;
}

export interface ReportTable {
  /** Short name: the XLSX sheet name (at most 31 characters, none of []:*?/\). */
  name: string;
  caption?: string;
  columns: Column[];
  rows: Cell[][];
  /** A totals row, aligned with the columns (its first cell is usually the label 合计). */
  totals?: Cell[];
  notes?: string[];
}

export interface ReportSection {
  heading: string;
  /** Label-value pairs shown as a two-column table. */
  facts?: [string, string][];
  paragraphs?: string[];
  tables?: ReportTable[];
}

export interface ReportDocument {
  title: string;
  subtitle?: string;
  /** Shown under the title: issuer, period, generated at... */
  meta: [string, string][];
  sections: ReportSection[];
  /** The table a CSV download carries (CSV holds one table). */
  csvTable: ReportTable;
  /** File name without extension, ASCII only. */
  fileName: string;
}

/** Splits an evaluator's text into paragraphs on blank or single line breaks. */
export function paragraphsOf(text: string | undefined | null): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** What every report says it rests on (WORDING.md): the plan's basis documents and the plan itself. */
export const REPORT_BASIS_ZH = `依据：${BASIS_DOCUMENTS.map((doc) => `${doc.titleZh}（${doc.number}）`).join('；')}。`;

/** The closing line of every report. */
export const REPORT_CLOSING_ZH = '本报告由系统自动生成';
