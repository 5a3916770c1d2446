import { crc32, deflateSync } from 'node:zlib';
import type { Actor } from '../../machines/project.types.ts';
import type { AttachmentKind } from '../../src/domain/vocabulary.ts';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import { uploadAttachment } from '../../src/usecases/attachments/upload-attachment.ts';

/**
 * Small real files of each accepted type, made here (no fixtures on disk), and helpers that attach
 * the materials an event needs (config/required-materials.ts) through the real use case or the API.
 */

/** A one-page PDF that a reader opens. */
export function samplePdf(text = 'fundflow'): Uint8Array {
  const body = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** A 1×1 PNG. */
export function samplePng(): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 255, 255, 255]));
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array())]));
}

/** The first bytes of a JPEG (SOI, JFIF APP0): enough for content detection. */
export function sampleJpeg(): Uint8Array {
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
}

/** A stored (uncompressed) ZIP of the given entries, as OFD, DOCX and XLSX are. */
export function zipOf(entries: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

export function sampleOfd(): Uint8Array {
  return zipOf({ 'OFD.xml': '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>', 'Doc_0/Document.xml': '<ofd:Document/>' });
}

const contentTypes = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/x" ContentType="${main}.main+xml"/></Types>`;

export function sampleDocx(): Uint8Array {
  return zipOf({ '[Content_Types].xml': contentTypes('application/vnd.openxmlformats-officedocument.wordprocessingml.document'), 'word/document.xml': '<w:document/>' });
}

export function sampleXlsx(): Uint8Array {
  return zipOf({ '[Content_Types].xml': contentTypes('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), 'xl/workbook.xml': '<workbook/>' });
}

/** File names the tests attach each kind under (Chinese, as people name them). */
export const MATERIAL_NAMES: Record<AttachmentKind, string> = {
  proposal: '项目申报书.pdf',
  budget: '预算明细表.pdf',
  contract: '采购合同.pdf',
  invoice: '增值税发票.pdf',
  acceptance: '验收报告.pdf',
  'inspection-evidence': '检查记录.pdf',
  'correction-material': '整改报告.pdf',
  'treasury-voucher': '国库支付凭证.pdf',
  other: '其他材料.pdf',
};

/** A voucher number in the default pattern. */
export const SAMPLE_VOUCHER = 'GKZF-2024-000123';

/** The kinds an event needs by default, and who attaches them. */
export const MATERIALS_FOR: Record<string, { kinds: AttachmentKind[]; by: 'applicant' | 'inspector' | 'finance' }> = {
  SUBMIT: { kinds: ['proposal', 'budget'], by: 'applicant' },
  DISBURSE: { kinds: ['contract', 'invoice'], by: 'applicant' },
  CONCLUDE_INSPECTION: { kinds: ['inspection-evidence'], by: 'inspector' },
  SUBMIT_CORRECTION: { kinds: ['correction-material'], by: 'applicant' },
};

let counter = 0;

/** Attaches files of these kinds through the real use case; each file differs, so each is its own blob. */
export async function attachKinds(engine: EngineDeps, actor: Actor, projectId: string, kinds: readonly AttachmentKind[]): Promise<void> {
  for (const kind of kinds) {
    counter += 1;
    await uploadAttachment(engine, actor, { projectId, kind, givenName: MATERIAL_NAMES[kind], bytes: samplePdf(`${kind} ${counter} ${Math.random()}`) });
  }
}

/** Attaches one file through the HTTP API (multipart), as a client does. */
export async function uploadOverHttp(
  baseUrl: string,
  token: string,
  projectId: string,
  file: { kind: string; name: string; bytes: Uint8Array; eventSeq?: number },
): Promise<{ status: number; body: any; headers: Headers }> {
  const form = new FormData();
  form.set('kind', file.kind);
  if (file.eventSeq !== undefined) form.set('eventSeq', String(file.eventSeq));
  form.set('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
  const response = await fetch(`${baseUrl}/api/v1/projects/${projectId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, body, headers: response.headers };
}

/** Attaches, through the HTTP API, what an event needs by default (see MATERIALS_FOR). */
export async function uploadSampleOverHttp(baseUrl: string, token: string, projectId: string, kind: AttachmentKind) {
  counter += 1;
  return uploadOverHttp(baseUrl, token, projectId, { kind, name: MATERIAL_NAMES[kind], bytes: samplePdf(`${kind} ${counter} ${Math.random()}`) });
}

export async function uploadMaterialsOverHttp(baseUrl: string, tokenOf: (role: 'applicant' | 'inspector' | 'finance') => string, projectId: string, eventType: string): Promise<void> {
  const need = MATERIALS_FOR[eventType];
  if (!need) return;
  for (const kind of need.kinds) {
    counter += 1;
    const answer = await uploadOverHttp(baseUrl, tokenOf(need.by), projectId, { kind, name: MATERIAL_NAMES[kind], bytes: samplePdf(`${kind} ${counter} ${Math.random()}`) });
    if (answer.status !== 201) throw new Error(`upload of ${kind} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

/**
 * For tests that send events through the API: attaches (over HTTP) what the event needs by
 * default and returns the event body with a voucher number for a DISBURSE that has none.
 */
export async function withMaterialsOverHttp<T extends { type: string; outcome?: unknown; voucher?: unknown }>(
  app: { baseUrl: string; users: Record<'applicant' | 'inspector' | 'finance', { token: string }> },
  projectId: string,
  body: T,
): Promise<T> {
  if (body.outcome !== 'on-track') await uploadMaterialsOverHttp(app.baseUrl, (role) => app.users[role].token, projectId, body.type);
  return body.type === 'DISBURSE' && body.voucher === undefined ? { ...body, voucher: SAMPLE_VOUCHER } : body;
}

/**
 * For tests that send events through the engine: attaches (through the use case) what the event
 * needs by default and returns the payload with a voucher number for a DISBURSE that has none.
 */
export async function withMaterialsViaEngine(
  app: { engine: EngineDeps; users: Record<'applicant' | 'inspector' | 'finance', { id: string; role: Actor['role']; orgId: string | null }> },
  projectId: string,
  type: string,
  payload: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const need = MATERIALS_FOR[type];
  if (need && payload.outcome !== 'on-track') {
    const user = app.users[need.by];
    await attachKinds(app.engine, { userId: user.id, role: user.role, orgId: user.orgId }, projectId, need.kinds);
  }
  return type === 'DISBURSE' && payload.voucher === undefined ? { ...payload, voucher: SAMPLE_VOUCHER } : payload;
}
