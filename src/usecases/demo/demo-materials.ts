import type { AttachmentKind } from '../../domain/vocabulary.ts';
import { zhCN } from '../../i18n/zh-CN.ts';

/**
 * Demo files for the seeded projects: one-page PDFs (with a cross-reference table, so any reader
 * opens them) that say in ASCII what they stand for. Each differs by its note, so each is its own blob.
 */
export function demoPdf(lines: string[]): Uint8Array {
  const escape = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const stream = ['BT /F1 14 Tf 50 780 Td', ...lines.map((line, index) => `${index === 0 ? '' : '0 -22 Td '}(${escape(line)}) Tj`), 'ET'].join('\n');
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>',
    `<</Length ${stream.length}>>\nstream\n${stream}\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

const ENGLISH: Record<AttachmentKind, string> = {
  proposal: 'Application form',
  budget: 'Budget details',
  contract: 'Contract',
  invoice: 'Invoice',
  acceptance: 'Acceptance record',
  'inspection-evidence': 'Inspection evidence',
  'correction-material': 'Correction material',
  'treasury-voucher': 'Treasury payment voucher',
  other: 'Other',
};

/** A demo file of one kind for one project: named in Chinese (“申报书-演示.pdf”), unique by its note. */
export function demoFileOf(kind: AttachmentKind, note: string): { name: string; bytes: Uint8Array } {
  return { name: `${zhCN.attachmentKind[kind]}-演示.pdf`, bytes: demoPdf(['fundflow demo material', ENGLISH[kind], note]) };
}
