import { escapeHtml } from '../domain/escape-html.ts';
import { REPORT_BASIS_ZH, REPORT_CLOSING_ZH, type ReportDocument, type ReportSection, type ReportTable } from './report-document.ts';
import { formatCell } from './report-format.ts';


/** All styling is in the page itself (no external files, no scripts); @media print sets A4 and page breaks. */
const STYLE = `
  body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; color: #111; margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.7; font-size: 14px; }
  h1 { font-size: 22px; text-align: center; margin: 0 0 .3em; letter-spacing: .05em; }
  .subtitle { text-align: center; margin: 0 0 1em; font-size: 15px; }
  h2 { font-size: 17px; margin: 1.6em 0 .6em; border-bottom: 1px solid #444; padding-bottom: .2em; }
  p { text-indent: 2em; margin: .4em 0; }
  table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 13px; }
  th, td { border: 1px solid #555; padding: .25em .45em; vertical-align: top; }
  th { background: #eee; font-weight: bold; text-align: center; }
  td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  tr.totals td { font-weight: bold; background: #f6f6f6; }
  table.meta, table.facts { width: auto; min-width: 50%; }
  table.meta th, table.facts th { text-align: left; width: 10em; }
  caption { caption-side: top; text-align: left; font-weight: bold; padding: .2em 0; }
  .note { font-size: 12px; color: #333; text-indent: 0; }
  footer { margin-top: 2em; font-size: 12px; color: #444; text-align: right; }
  @media print {
    @page { size: A4; margin: 18mm 15mm; }
    body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
    h2 { break-after: avoid; page-break-after: avoid; }
    table { break-inside: auto; }
    tr, caption { break-inside: avoid; page-break-inside: avoid; }
    thead { display: table-header-group; }
    tfoot { display: table-footer-group; }
    th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
`;

const NUMERIC = new Set(['integer', 'fen', 'points', 'percent', 'number']);

function renderTable(table: ReportTable): string {
  const head = table.columns.map((column) => `<th scope="col">${escapeHtml(column.label)}</th>`).join('');
  const row = (cells: ReadonlyArray<string | number | null>, className = '') =>
    `<tr${className ? ` class="${className}"` : ''}>${table.columns
      .map((column, index) => {
        const value = cells[index] ?? null;
        const numeric = NUMERIC.has(column.kind) && typeof value === 'number';
        const shown = value === null && className === 'totals' ? '' : formatCell(value, column.kind);
        return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(shown)}</td>`;
      })
      .join('')}</tr>`;
  const body = table.rows.length
    ? table.rows.map((cells) => row(cells)).join('\n')
    : `<tr><td colspan="${table.columns.length}">（无）</td></tr>`;
  const totals = table.totals ? `<tfoot>${row(table.totals, 'totals')}</tfoot>` : '';
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  const notes = (table.notes ?? []).map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n');
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${totals}</table>\n${notes}`;
}

function renderFacts(facts: [string, string][], className: string): string {
  return `<table class="${className}"><tbody>${facts
    .map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('')}</tbody></table>`;
}

function renderSection(section: ReportSection): string {
  const parts = [`<h2>${escapeHtml(section.heading)}</h2>`];
  if (section.facts?.length) parts.push(renderFacts(section.facts, 'facts'));
  for (const paragraph of section.paragraphs ?? []) parts.push(`<p>${escapeHtml(paragraph)}</p>`);
  for (const table of section.tables ?? []) parts.push(renderTable(table));
  return `<section>\n${parts.join('\n')}\n</section>`;
}

/** A complete, self-contained zh-CN HTML page that prints well on A4. */
export function renderReportHtml(document: ReportDocument): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(document.title)}</h1>
${document.subtitle ? `<p class="subtitle">${escapeHtml(document.subtitle)}</p>` : ''}
${document.meta.length ? renderFacts(document.meta, 'meta') : ''}
</header>
<main>
${document.sections.map(renderSection).join('\n')}
</main>
<footer><p>${escapeHtml(REPORT_BASIS_ZH)}</p><p>${escapeHtml(REPORT_CLOSING_ZH)}</p></footer>
</body>
</html>
`;
}
