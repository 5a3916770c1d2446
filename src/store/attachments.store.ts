import type { AttachmentKind } from '../domain/vocabulary.ts';
import type { Database } from './database.ts';

export interface AttachmentRow {
  id: string;
  projectId: string;
  eventSeq: number | null;
  kind: AttachmentKind;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploaderName: string | null;
  uploadedAt: string;
  auditSeq: number;
}

interface Row {
  id: string;
  project_id: string;
  event_seq: number | null;
  kind: AttachmentKind;
  file_name: string;
  media_type: string;
  size_bytes: number | string;
  sha256: string;
  uploaded_by: string;
  uploader_name: string | null;
  uploaded_at: Date | string;
  audit_seq: number;
}

const rowOf = (row: Row): AttachmentRow => ({
  id: row.id,
  projectId: row.project_id,
  eventSeq: row.event_seq,
  kind: row.kind,
  fileName: row.file_name,
  mediaType: row.media_type,
  sizeBytes: Number(row.size_bytes),
  sha256: row.sha256,
  uploadedBy: row.uploaded_by,
  uploaderName: row.uploader_name,
  uploadedAt: new Date(row.uploaded_at).toISOString(),
  auditSeq: row.audit_seq,
});

const SELECT = `SELECT a.id, a.project_id, a.event_seq, a.kind, a.file_name, a.media_type, a.size_bytes, a.sha256,
                       a.uploaded_by, u.name AS uploader_name, a.uploaded_at, a.audit_seq
                  FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by`;

export async function insertAttachment(db: Database, row: Omit<AttachmentRow, 'uploaderName'>): Promise<void> {
  await db.query(
    `INSERT INTO attachments (id, project_id, event_seq, kind, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at, audit_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [row.id, row.projectId, row.eventSeq, row.kind, row.fileName, row.mediaType, row.sizeBytes, row.sha256, row.uploadedBy, row.uploadedAt, row.auditSeq],
  );
}

/** A project's attachments in upload order. */
export async function listAttachments(db: Database, projectId: string): Promise<AttachmentRow[]> {
  const rows = await db.query<Row>(`${SELECT} WHERE a.project_id = $1 ORDER BY a.audit_seq`, [projectId]);
  return rows.map(rowOf);
}

export async function findAttachment(db: Database, projectId: string, attachmentId: string): Promise<AttachmentRow | undefined> {
  const rows = await db.query<Row>(`${SELECT} WHERE a.project_id = $1 AND a.id = $2`, [projectId, attachmentId]);
  return rows[0] ? rowOf(rows[0]) : undefined;
}

/**
 * The seq of the project's latest event of this type up to `atVersion` (0: none), and its
 * attachments recorded up to it: what the project held at the version a command loaded, so a
 * command that then loses the race answers 409, not a refusal computed from a newer state.
 */
export async function materialsAtVersion(
  db: Database,
  projectId: string,
  eventType: string,
  atVersion: number,
): Promise<{ previousSameEventSeq: number; attachments: AttachmentRow[] }> {
  // One round trip: the previous seq rides on every row, and on one empty row when there are no files.
  const rows = await db.query<Row & { previous_seq: number | null }>(
    `SELECT (SELECT max(seq) FROM project_events WHERE project_id = $1 AND event_type = $2 AND seq <= $3) AS previous_seq, f.*
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT a.id, a.project_id, a.event_seq, a.kind, a.file_name, a.media_type, a.size_bytes, a.sha256,
                         a.uploaded_by, NULL::text AS uploader_name, a.uploaded_at, a.audit_seq
                    FROM attachments a WHERE a.project_id = $1 AND a.audit_seq <= $3) AS f ON true
      ORDER BY f.audit_seq`,
    [projectId, eventType, atVersion],
    'materials-at-version',
  );
  return { previousSameEventSeq: rows[0]?.previous_seq ?? 0, attachments: rows.filter((row) => row.id !== null).map(rowOf) };
}

export async function eventExists(db: Database, projectId: string, seq: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM project_events WHERE project_id = $1 AND seq = $2', [projectId, seq])).length > 0;
}

/** For audit:verify: the attachments of these projects, and their ATTACH_FILE audit events' payloads. */
export async function readAttachmentsForAudit(
  db: Database,
  projectIds: readonly string[],
): Promise<{ rows: AttachmentRow[]; events: { projectId: string; seq: number; payload: Record<string, unknown> }[] }> {
  if (projectIds.length === 0) return { rows: [], events: [] };
  const rows = await db.query<Row>(`${SELECT} WHERE a.project_id = ANY($1::uuid[]) ORDER BY a.project_id, a.audit_seq`, [projectIds]);
  const events = await db.query<{ project_id: string; seq: number; payload: Record<string, unknown> }>(
    `SELECT project_id, seq, payload FROM project_events
      WHERE project_id = ANY($1::uuid[]) AND event_type = 'ATTACH_FILE' ORDER BY project_id, seq`,
    [projectIds],
  );
  return { rows: rows.map(rowOf), events: events.map((event) => ({ projectId: event.project_id, seq: event.seq, payload: event.payload })) };
}
