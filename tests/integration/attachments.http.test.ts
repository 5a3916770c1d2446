import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerifyCommand } from '../../src/cli/audit-verify.command.ts';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import {
  sampleDocx,
  sampleJpeg,
  sampleOfd,
  samplePdf,
  samplePng,
  sampleXlsx,
  uploadOverHttp,
  zipOf,
} from '../support/materials.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

const backends: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', () => createTestDatabase()],
  ['PGlite', () => createPgliteTestDatabase()],
];

describe.each(backends)('attachments on %s', (_name, open) => {
  let database: TestDatabase;
  let app: TestApp;
  let api: ReturnType<typeof apiClient>;
  let projectId: string;

  beforeAll(async () => {
    database = await open();
    app = await startTestApp(database.db);
    api = apiClient(app.baseUrl);
    projectId = (await driveTo(app, 'proposed.draft')).id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const upload = (file: { kind: string; name: string; bytes: Uint8Array; eventSeq?: number }, token = app.users.applicant.token) =>
    uploadOverHttp(app.baseUrl, token, projectId, file);

  it('round-trips every accepted type: the same bytes, the Chinese name, safe headers, listed with its uploader', async () => {
    const files = [
      { kind: 'proposal', name: '项目申报书（2024）.pdf', bytes: samplePdf('申报'), mediaType: 'application/pdf' },
      { kind: 'invoice', name: '电子发票.ofd', bytes: sampleOfd(), mediaType: 'application/ofd' },
      { kind: 'other', name: '现场照片.jpg', bytes: sampleJpeg(), mediaType: 'image/jpeg' },
      { kind: 'other', name: '现场照片.png', bytes: samplePng(), mediaType: 'image/png' },
      { kind: 'budget', name: '预算说明.docx', bytes: sampleDocx(), mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      { kind: 'budget', name: '预算明细.xlsx', bytes: sampleXlsx(), mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    ];
    for (const file of files) {
      const answer = await upload(file);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toMatchObject({ kind: file.kind, fileName: file.name, mediaType: file.mediaType, sizeBytes: file.bytes.byteLength });
      expect(answer.body.uploadedBy).toEqual({ id: app.users.applicant.id, name: '申报人' });
      const download = await fetch(`${app.baseUrl}${answer.body.downloadUrl}`, { headers: { authorization: `Bearer ${app.users.center.token}` } });
      expect(download.status).toBe(200);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(file.bytes);
      expect(download.headers.get('content-type')).toBe(file.mediaType);
      expect(download.headers.get('x-content-type-options')).toBe('nosniff');
      expect(download.headers.get('content-security-policy')).toContain("default-src 'none'");
      const disposition = download.headers.get('content-disposition')!;
      expect(disposition.startsWith('attachment;')).toBe(true);
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(file.name).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    }
    const list = await api('GET', `/api/v1/projects/${projectId}/attachments`, { token: app.users.applicant.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { fileName: string }) => item.fileName)).toEqual(files.map((file) => file.name));
    expect(list.body.items[0].uploadedBy.id).toBe(app.users.applicant.id);
    expect(list.body.items[0].kindName).toEqual({ zh: '申报书', en: 'application form' });

    // Every upload is an audit event carrying the file's hash.
    const history = await api('GET', `/api/v1/projects/${projectId}/history`, { token: app.users.center.token });
    const attached = history.body.events.filter((event: { type: string }) => event.type === 'ATTACH_FILE');
    expect(attached.map((event: { payload: { sha256: string } }) => event.payload.sha256)).toEqual(list.body.items.map((item: { sha256: string }) => item.sha256));
  });

  it('stores the same content once (content-addressed)', async () => {
    const bytes = samplePdf('same content twice');
    const first = await upload({ kind: 'other', name: 'a.pdf', bytes });
    const second = await upload({ kind: 'other', name: 'b.pdf', bytes });
    expect(first.body.sha256).toBe(second.body.sha256);
    const rows = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs WHERE sha256 = $1', [first.body.sha256]);
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses each bad file with a 400 that names the field, and records nothing', async () => {
    const before = (await api('GET', `/api/v1/projects/${projectId}/attachments`, { token: app.users.applicant.token })).body.items.length;
    const pdfAlsoZip = new Uint8Array([...samplePdf('polyglot'), ...zipOf({ 'x.txt': 'hidden' })]);
    const htmlAsPdf = new TextEncoder().encode('<!DOCTYPE html><html><script>alert(1)</script></html>');
    const pdfWithHtml = new TextEncoder().encode('%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n');
    const cases: { label: string; file: { kind: string; name: string; bytes: Uint8Array }; field: string; message: RegExp }[] = [
      { label: 'HTML named .pdf', file: { kind: 'other', name: '发票.pdf', bytes: htmlAsPdf }, field: 'file', message: /HTML|script/ },
      { label: 'PNG named .pdf (disguised)', file: { kind: 'other', name: '发票.pdf', bytes: samplePng() }, field: 'file', message: /content is PNG/ },
      { label: 'a plain ZIP named .ofd', file: { kind: 'other', name: '发票.ofd', bytes: zipOf({ 'a.txt': 'x' }) }, field: 'file', message: /not one of the accepted types/ },
      { label: 'zero bytes', file: { kind: 'other', name: '空.pdf', bytes: new Uint8Array() }, field: 'file', message: /empty/ },
      { label: 'path traversal', file: { kind: 'other', name: '../../etc/passwd.pdf', bytes: samplePdf() }, field: 'file', message: /path/ },
      { label: 'backslash traversal', file: { kind: 'other', name: '..\\..\\boot.pdf', bytes: samplePdf() }, field: 'file', message: /path/ },
      { label: 'bidi override', file: { kind: 'other', name: '发票\u202Efdp.exe', bytes: samplePdf() }, field: 'file', message: /text-direction/ },
      { label: 'PDF that is also a ZIP (polyglot)', file: { kind: 'other', name: '合同.pdf', bytes: pdfAlsoZip }, field: 'file', message: /also a ZIP/ },
      { label: 'PDF that carries HTML at its start (polyglot)', file: { kind: 'other', name: '合同.pdf', bytes: pdfWithHtml }, field: 'file', message: /HTML/ },
      { label: 'unknown kind', file: { kind: 'photo', name: 'a.pdf', bytes: samplePdf() }, field: 'kind', message: /./ },
    ];
    for (const { label, file, field, message } of cases) {
      const answer = await upload(file);
      expect(answer.status, label).toBe(400);
      expect(answer.body.code, label).toBe('bad-input');
      expect(answer.body.errors[0].field, label).toBe(field);
      expect(answer.body.errors[0].message, label).toMatch(message);
    }
    const after = (await api('GET', `/api/v1/projects/${projectId}/attachments`, { token: app.users.applicant.token })).body.items.length;
    expect(after).toBe(before);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with a 400 naming the file', async () => {
    const small = await startTestAppWithLimit(database, 1024);
    try {
      const big = new Uint8Array([...samplePdf(), ...new Uint8Array(2048).fill(32)]);
      const answer = await uploadOverHttp(small.baseUrl, app.users.applicant.token, projectId, { kind: 'other', name: '大文件.pdf', bytes: big });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({ field: 'file' });
      expect(answer.body.errors[0].message).toMatch(/larger than the limit of 1024 bytes/);
    } finally {
      await small.close();
    }
  });

  it('authorises by role and organisation; the public never', async () => {
    const file = { kind: 'other', name: '说明.pdf', bytes: samplePdf('auth') };
    expect((await upload(file, app.users.otherApplicant.token)).status).toBe(404);
    expect((await api('GET', `/api/v1/projects/${projectId}/attachments`, { token: app.users.otherApplicant.token })).status).toBe(404);
    const anonymous = await fetch(`${app.baseUrl}/api/v1/projects/${projectId}/attachments`);
    expect(anonymous.status).toBe(401);
    // A kind belongs to the people who bring it: the applicant does not bring inspection evidence.
    const evidence = await upload({ kind: 'inspection-evidence', name: '检查记录.pdf', bytes: samplePdf('e') });
    expect(evidence.status).toBe(403);
    expect(evidence.body.refusals[0].code).toBe('attachment-kind-not-yours');
    expect((await upload({ kind: 'inspection-evidence', name: '检查记录.pdf', bytes: samplePdf('e') }, app.users.inspector.token)).status).toBe(201);
    const list = await api('GET', `/api/v1/projects/${projectId}/attachments`, { token: app.users.authority.token });
    expect(list.status).toBe(200);
  });

  it('attaches to an event of the project, and refuses an event it does not have', async () => {
    expect((await upload({ kind: 'other', name: '附件.pdf', bytes: samplePdf('event'), eventSeq: 1 })).body.eventSeq).toBe(1);
    const missing = await upload({ kind: 'other', name: '附件.pdf', bytes: samplePdf('event'), eventSeq: 999 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('eventSeq');
  });

  it('audit:verify passes, then reports a swapped blob and an altered attachment row', async () => {
    expect((await auditVerifyCommand(database.db)).ok).toBe(true);
    const list = (await api('GET', `/api/v1/projects/${projectId}/attachments`, { token: app.users.center.token })).body.items;
    const target = list.find((item: { fileName: string }) => item.fileName === '电子发票.ofd');
    // Swap the bytes behind the hash, as someone with database access could.
    await database.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE blobs DISABLE TRIGGER blobs_append_only');
      await tx.query('UPDATE blobs SET bytes = $2 WHERE sha256 = $1', [target.sha256, Buffer.from(samplePdf('swapped'))]);
      await tx.query('ALTER TABLE blobs ENABLE TRIGGER blobs_append_only');
    });
    const swapped = await auditVerifyCommand(database.db);
    expect(swapped.ok).toBe(false);
    expect(swapped.firstBroken).toMatchObject({ projectId, seq: target.auditSeq });
    expect(swapped.firstBroken!.problem).toMatch(/no longer hash/);
    const download = await fetch(`${app.baseUrl}${target.downloadUrl}`, { headers: { authorization: `Bearer ${app.users.center.token}` } });
    expect(download.status).toBe(503);

    // Put the bytes back; then point an attachment row at other (intact) bytes.
    await database.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE blobs DISABLE TRIGGER blobs_append_only');
      await tx.query('UPDATE blobs SET bytes = $2 WHERE sha256 = $1', [target.sha256, Buffer.from(sampleOfd())]);
      await tx.query('ALTER TABLE blobs ENABLE TRIGGER blobs_append_only');
    });
    expect((await auditVerifyCommand(database.db)).ok).toBe(true);
    const other = list.find((item: { fileName: string }) => item.fileName === '现场照片.png');
    await database.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE attachments DISABLE TRIGGER attachments_append_only');
      await tx.query('UPDATE attachments SET sha256 = $2 WHERE id = $1', [target.id, other.sha256]);
      await tx.query('ALTER TABLE attachments ENABLE TRIGGER attachments_append_only');
    });
    const altered = await auditVerifyCommand(database.db);
    expect(altered.ok).toBe(false);
    expect(altered.firstBroken!.problem).toMatch(/does not match its audit event/);
  });
});

async function startTestAppWithLimit(database: TestDatabase, maxBytes: number) {
  const { createApp } = await import('../../src/http/app.ts');
  const { createProjectMachine } = await import('../../machines/project.machine.ts');
  const { DEFAULT_LIFECYCLE_RULES } = await import('../../config/lifecycle-rules.ts');
  const engine = { db: database.db, machine: createProjectMachine(DEFAULT_LIFECYCLE_RULES), rules: DEFAULT_LIFECYCLE_RULES, countyCode: 'YC', now: () => new Date() };
  const { app } = createApp({ engine, publicUrl: 'http://localhost', bodyLimit: '256kb', tokenCacheSeconds: 0, logError: () => {}, attachmentMaxBytes: maxBytes });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as import('node:net').AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
