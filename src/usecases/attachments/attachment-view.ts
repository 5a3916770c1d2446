import type { AttachmentRow } from '../../store/attachments.store.ts';
import { labelOf } from '../../i18n/messages.ts';

/** An attachment as the API answers it (never the bytes). */
export interface AttachmentView {
  id: string;
  projectId: string;
  eventSeq: number | null;
  kind: AttachmentRow['kind'];
  kindName: { zh: string; en: string };
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: { id: string; name: string | null };
  uploadedAt: string;
  auditSeq: number;
  downloadUrl: string;
}

export function attachmentView(row: AttachmentRow): AttachmentView {
  return {
    id: row.id,
    projectId: row.projectId,
    eventSeq: row.eventSeq,
    kind: row.kind,
    kindName: labelOf('attachmentKind', row.kind),
    fileName: row.fileName,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedBy: { id: row.uploadedBy, name: row.uploaderName },
    uploadedAt: row.uploadedAt,
    auditSeq: row.auditSeq,
    downloadUrl: `/api/v1/projects/${row.projectId}/attachments/${row.id}/content`,
  };
}
