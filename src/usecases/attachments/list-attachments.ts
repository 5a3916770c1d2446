import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listAttachments as listRows } from '../../store/attachments.store.ts';
import { findProject } from '../../store/projects.store.ts';
import { attachmentView, type AttachmentView } from './attachment-view.ts';

/** A project's files in upload order: for staff, and for the applicant on its own projects. */
export async function listAttachments(deps: EngineDeps, actor: Actor, projectId: string): Promise<AttachmentView[]> {
  const project = await findProject(deps.db, projectId);
  if (!project || !canReadProject(actor, project.org_id)) {
    throw new AppError('not-found', `project ${projectId} does not exist or is not visible to you`);
  }
  return (await listRows(deps.db, project.id)).map(attachmentView);
}
