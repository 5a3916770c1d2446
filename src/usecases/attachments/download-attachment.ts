import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findAttachment } from '../../store/attachments.store.ts';
import { databaseBlobStore, sha256Hex, type BlobStore } from '../../store/blob-storage.ts';
import { findProject } from '../../store/projects.store.ts';

export interface AttachmentContent {
  fileName: string;
  mediaType: string;
  sha256: string;
  bytes: Uint8Array;
}

/**
 * One file's bytes for a reader of its project. The bytes are hashed again before they leave: a
 * blob altered in storage is refused (and audit:verify names it), never served as the original.
 */
export async function downloadAttachment(
  deps: EngineDeps,
  actor: Actor,
  input: { projectId: string; attachmentId: string },
  blobs: BlobStore = databaseBlobStore(deps.db),
): Promise<AttachmentContent> {
  const project = await findProject(deps.db, input.projectId);
  if (!project || !canReadProject(actor, project.org_id)) {
    throw new AppError('not-found', `project ${input.projectId} does not exist or is not visible to you`);
  }
  const row = await findAttachment(deps.db, project.id, input.attachmentId);
  if (!row) throw new AppError('not-found', `the project has no attachment ${input.attachmentId}`);
  const bytes = await blobs.get(row.sha256);
  if (!bytes || sha256Hex(bytes) !== row.sha256) {
    throw new AppError('unavailable', `the stored bytes of attachment ${row.id} are missing or do not match their hash; run audit:verify`);
  }
  return { fileName: row.fileName, mediaType: row.mediaType, sha256: row.sha256, bytes };
}
