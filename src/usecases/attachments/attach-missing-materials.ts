import { DEFAULT_REQUIRED_MATERIALS } from '../../../config/required-materials.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { missingMaterialGroups } from '../../domain/required-materials.ts';
import type { AttachmentKind } from '../../domain/vocabulary.ts';
import type { Channel, EngineDeps } from '../../engine/engine-deps.ts';
import { loadMaterialFacts } from '../../engine/materials-preparation.ts';
import { AppError } from '../../engine/app-error.ts';
import { findProject } from '../../store/projects.store.ts';
import { uploadAttachment } from './upload-attachment.ts';

/**
 * For seeds and drills that drive projects without a person at the page: attaches, for each group
 * of required materials an event still lacks, one file of the group's first kind, uploaded by the
 * actor who brings that kind. Real users upload on the project page; nothing in the engine calls this.
 */
export async function attachMissingMaterials(
  deps: EngineDeps,
  input: {
    projectId: string;
    item: number;
    type: string;
    payload: Record<string, unknown>;
    uploaderOf: (kind: AttachmentKind) => Actor;
    fileOf: (kind: AttachmentKind) => { name: string; bytes: Uint8Array };
    channel?: Channel;
  },
): Promise<number> {
  const rules = deps.requiredMaterials ?? DEFAULT_REQUIRED_MATERIALS;
  const project = await findProject(deps.db, input.projectId);
  if (!project) throw new AppError('not-found', `project ${input.projectId} does not exist`);
  const groups = missingMaterialGroups(rules, await loadMaterialFacts(deps.db, { ...input, atVersion: project.version }));
  for (const group of groups) {
    const kind = group.anyOf[0]!;
    const file = input.fileOf(kind);
    await uploadAttachment(deps, input.uploaderOf(kind), { projectId: input.projectId, kind, givenName: file.name, bytes: file.bytes }, { channel: input.channel ?? 'cli' });
  }
  return groups.length;
}
