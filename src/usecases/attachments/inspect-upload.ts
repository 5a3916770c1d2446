import { fileTypeFromBuffer } from 'file-type';
import type { FieldProblem } from '../../engine/app-error.ts';

/**
 * What an uploaded file is, decided from its bytes (never from its name or the client's
 * Content-Type), against the allowlist: PDF, OFD, JPEG, PNG, DOCX, XLSX.
 *
 * The polyglot rule: a file must be exactly one thing. Refused are
 *  - HTML or script markup (<html, <script, <!doctype, <body, <svg, <iframe, <object, <embed)
 *    in the first 1 KiB of any file: that is where browsers sniff for HTML;
 *  - a PDF header (%PDF-) in the first 1 KiB of anything that is not a PDF (readers accept it
 *    there, so an image or a ZIP could open as a PDF too);
 *  - a valid ZIP end-of-central-directory record at the end of a PDF, JPEG or PNG (ZIP readers
 *    find an archive from the end, so the file would also open as a ZIP: DOCX, OFD, JAR…).
 * The file name's extension must also match the detected type, so a type cannot hide behind the
 * name of another (a PNG named 发票.pdf is refused; so is a name without an extension).
 */

export const ALLOWED_TYPES = {
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'] },
  ofd: { mediaType: 'application/ofd', extensions: ['ofd'] },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { mediaType: 'image/png', extensions: ['png'] },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
} as const;
export type AllowedType = keyof typeof ALLOWED_TYPES;

export type Inspection = { ok: true; type: AllowedType; mediaType: string; fileName: string } | { ok: false; problem: FieldProblem };

const bad = (message: string, field = 'file'): Inspection => ({ ok: false, problem: { field, message } });

const HTML_MARKERS = ['<html', '<script', '<!doctype', '<body', '<svg', '<iframe', '<object', '<embed', '<head'];

/** Path separators and names that climb: refused outright rather than guessed at. */
const TRAVERSAL = /[/\\]|^\.{1,2}$|^\.\.|\u0000/u;
/** Control characters, and the bidirectional overrides that make "gpj.exe" read as "exe.jpg". */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Characters no Windows file system accepts: replaced, so a saved download keeps its name. */
const RESERVED = /[<>:"|?*]/gu;

/**
 * The name a file is kept and served under: the name as given (Chinese kept, NFC), with path
 * separators, climbing names, control and bidi characters refused, Windows-reserved characters
 * replaced by "_", trailing dots and spaces dropped, at most 200 characters (extension kept).
 */
export function neutraliseFileName(given: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = given.normalize('NFC').trim();
  if (name === '') return { ok: false, message: 'the file has no name' };
  if (TRAVERSAL.test(name)) return { ok: false, message: `the file name "${name}" contains a path ("/", "\\" or ".."); send the bare file name` };
  if (CONTROL.test(name)) return { ok: false, message: 'the file name contains control or text-direction characters' };
  let cleaned = name.replace(RESERVED, '_').replace(/[. ]+$/u, '');
  const chars = [...cleaned];
  if (chars.length > 200) {
    const dot = cleaned.lastIndexOf('.');
    const extension = dot > 0 ? [...cleaned.slice(dot)] : [];
    cleaned = [...chars.slice(0, 200 - extension.length), ...extension].join('');
  }
  if (cleaned === '' || cleaned.startsWith('.')) return { ok: false, message: `the file name "${name}" has no name before its extension` };
  return { ok: true, name: cleaned };
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The names of a ZIP's entries, read from its central directory; null when it is not a readable ZIP. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const eocd = findEndOfCentralDirectory(bytes);
  if (eocd === null) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8');
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > bytes.byteLength || view.getUint32(offset, true) !== 0x02014b50) return null;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.byteLength) return null;
    names.push(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * The offset of a ZIP end-of-central-directory record whose comment ends exactly at the end of the
 * file: what a ZIP reader looks for, scanning back over at most the 64 KiB a comment may take.
 */
function findEndOfCentralDirectory(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.byteLength - 22 - 0xffff);
  for (let offset = bytes.byteLength - 22; offset >= lowest; offset -= 1) {
    if (view.getUint32(offset, true) !== 0x06054b50) continue;
    const commentLength = view.getUint16(offset + 20, true);
    if (offset + 22 + commentLength === bytes.byteLength) return offset;
  }
  return null;
}

function startsWith(bytes: Uint8Array, ascii: string, at = 0): boolean {
  if (bytes.byteLength < at + ascii.length) return false;
  for (let index = 0; index < ascii.length; index += 1) if (bytes[at + index] !== ascii.charCodeAt(index)) return false;
  return true;
}

function headText(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).toLowerCase();
}

/** What the bytes are, if they are one of the allowed types (OFD told apart from other ZIPs here). */
async function detectType(bytes: Uint8Array): Promise<AllowedType | 'unknown'> {
  const detected = await fileTypeFromBuffer(bytes);
  switch (detected?.ext) {
    case 'pdf':
      return 'pdf';
    case 'jpg':
      return 'jpeg';
    case 'png':
      return 'png';
    case 'docx':
      return 'docx';
    case 'xlsx':
      return 'xlsx';
    case 'zip': {
      // OFD (GB/T 33190) is a ZIP whose root holds OFD.xml; file-type does not know it.
      const names = zipEntryNames(bytes);
      return startsWith(bytes, 'PK\u0003\u0004') && names?.includes('OFD.xml') ? 'ofd' : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** Checks one upload: size, name, type from content, extension, polyglots. The first problem wins. */
export async function inspectUpload(input: { bytes: Uint8Array; givenName: string; maxBytes: number }): Promise<Inspection> {
  const { bytes } = input;
  if (bytes.byteLength === 0) return bad('the file is empty (0 bytes)');
  if (bytes.byteLength > input.maxBytes) return bad(`the file is ${bytes.byteLength} bytes; the limit is ${input.maxBytes} bytes`);
  const named = neutraliseFileName(input.givenName);
  if (!named.ok) return bad(named.message);

  const head = headText(bytes);
  const marker = HTML_MARKERS.find((candidate) => head.includes(candidate));
  if (marker) return bad(`the file contains HTML or script markup ("${marker}") at its start; such files are not accepted`);

  const type = await detectType(bytes);
  if (type === 'unknown') {
    return bad('the file is not one of the accepted types (PDF, OFD, JPEG, PNG, DOCX, XLSX), judged by its content');
  }
  if (type !== 'pdf' && head.includes('%pdf-')) return bad(`the file is a ${type.toUpperCase()} that also carries a PDF header (a polyglot); not accepted`);
  if ((type === 'pdf' || type === 'jpeg' || type === 'png') && findEndOfCentralDirectory(bytes) !== null) {
    return bad(`the file is a ${type.toUpperCase()} that is also a ZIP archive (a polyglot); not accepted`);
  }
  const allowed = ALLOWED_TYPES[type];
  const extension = extensionOf(named.name);
  if (!(allowed.extensions as readonly string[]).includes(extension)) {
    return bad(
      `the content is ${type.toUpperCase()} but the name ends in "${extension ? `.${extension}` : '(no extension)'}"; name it .${allowed.extensions[0]}`,
    );
  }
  return { ok: true, type, mediaType: allowed.mediaType, fileName: named.name };
}
