import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { refusal } from '../../domain/refusal.ts';
import type { AttachmentKind } from '../../domain/vocabulary.ts';
import { AppError } from '../../engine/app-error.ts';
import type { Channel, EngineDeps } from '../../engine/engine-deps.ts';
import { recordProjectEvent } from '../../engine/record-event.ts';
import { labelOf } from '../../i18n/messages.ts';
import { eventExists, findAttachment, insertAttachment } from '../../store/attachments.store.ts';
import { databaseBlobStore, type BlobStore } from '../../store/blob-storage.ts';
import { findProject } from '../../store/projects.store.ts';
import { ATTACH_EVENT_TYPE, ATTACHMENT_UPLOADERS, DEFAULT_ATTACHMENT_MAX_BYTES, READ_ONLY_STATES } from './attachment-policy.ts';
import { attachmentView, type AttachmentView } from './attachment-view.ts';
import { inspectUpload } from './inspect-upload.ts';

export interface UploadInput {
  projectId: string;
  kind: AttachmentKind;
  /** The event the file belongs to (its seq in the project's history); absent: the project itself. */
  eventSeq?: number | undefined;
  givenName: string;
  bytes: Uint8Array;
}

export interface UploadOptions {
  maxBytes?: number;
  /** Where the bytes go; default the database's `blobs` table. */
  blobs?: BlobStore;
  channel?: Channel;
}

/**
 * Attaches one file: checked (who, which project, size, name, type from content, polyglots),
 * stored by its SHA-256, then the attachment row and an ATTACH_FILE audit event carrying the hash
 * written in one transaction, so the file enters the project's hash chain or nothing is recorded.
 * The bytes are stored first: a blob without a row is harmless (content-addressed, reused by the
 * next upload of the same file), a row without its blob never happens.
 */
export async function uploadAttachment(deps: EngineDeps, actor: Actor, input: UploadInput, options: UploadOptions = {}): Promise<AttachmentView> {
  const project = await findProject(deps.db, input.projectId);
  if (!project || !canReadProject(actor, project.org_id)) {
    throw new AppError('not-found', `project ${input.projectId} does not exist or is not visible to you`);
  }
  if (!ATTACHMENT_UPLOADERS[input.kind].includes(actor.role)) {
    const kind = labelOf('attachmentKind', input.kind);
    throw AppError.refused('forbidden', [
      refusal('attachment-kind-not-yours', `您的角色不能上传“${kind.zh}”`, `your role may not attach a ${kind.en}`, { kind: input.kind }),
    ]);
  }
  if ((READ_ONLY_STATES as readonly string[]).includes(project.state)) {
    throw AppError.refused('event-not-allowed', [
      refusal('project-read-only', '项目已办结，不能再上传材料', 'the project is finished; its record takes no more files', { state: project.state }),
    ]);
  }
  if (input.eventSeq !== undefined && !(await eventExists(deps.db, project.id, input.eventSeq))) {
    throw AppError.badInput([{ field: 'eventSeq', message: `the project has no event ${input.eventSeq}` }]);
  }
  const inspected = await inspectUpload({ bytes: input.bytes, givenName: input.givenName, maxBytes: options.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES });
  if (!inspected.ok) throw AppError.badInput([inspected.problem], 'the file was refused');

  const blobs = options.blobs ?? databaseBlobStore(deps.db);
  const sha256 = await blobs.put(input.bytes);
  const id = randomUUID();
  const uploadedAt = deps.now().toISOString();
  const facts = {
    attachmentId: id,
    kind: input.kind,
    fileName: inspected.fileName,
    mediaType: inspected.mediaType,
    sizeBytes: input.bytes.byteLength,
    sha256,
    eventSeq: input.eventSeq ?? null,
  };
  const auditSeq = await deps.db.transaction(async (tx) => {
    const seq = await recordProjectEvent(
      { ...deps, db: tx },
      { projectId: project.id, actor, channel: options.channel ?? 'api', eventType: ATTACH_EVENT_TYPE, payload: facts, reason: null, outbox: () => [] },
    );
    await insertAttachment(tx, {
      id,
      projectId: project.id,
      eventSeq: facts.eventSeq,
      kind: input.kind,
      fileName: facts.fileName,
      mediaType: facts.mediaType,
      sizeBytes: facts.sizeBytes,
      sha256,
      uploadedBy: actor.userId,
      uploadedAt,
      auditSeq: seq,
    });
    return seq;
  });
  // Read back with the uploader's name, as the list shows it.
  const stored = await findAttachment(deps.db, project.id, id);
  return attachmentView(stored ?? { ...facts, id, projectId: project.id, uploadedBy: actor.userId, uploaderName: null, uploadedAt, auditSeq });
}
