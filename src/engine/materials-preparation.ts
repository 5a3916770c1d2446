import { DEFAULT_REQUIRED_MATERIALS, requirementFor, type RequiredMaterials } from '../../config/required-materials.ts';
import { checkRequiredMaterials, type MaterialCheck, type MaterialFacts } from '../domain/required-materials.ts';
import { materialsAtVersion } from '../store/attachments.store.ts';
import type { Database } from '../store/database.ts';

/**
 * Loads what the required-materials check needs BEFORE the pure decision (load first, decide
 * purely): the project's attachments and the seq of the previous event of the same type. Returns
 * undefined for an event that needs no materials, so other commands cost no extra query.
 */
export async function prepareMaterials(
  db: Database,
  rules: RequiredMaterials | undefined,
  input: { projectId: string; item: number; type: string; payload: Record<string, unknown>; atVersion: number },
): Promise<MaterialCheck | undefined> {
  const table = rules ?? DEFAULT_REQUIRED_MATERIALS;
  if (!requirementFor(table, input.item, input.type)) return undefined;
  return checkRequiredMaterials(table, await loadMaterialFacts(db, input));
}

/** The facts of the required-materials check for one event on one project. */
export async function loadMaterialFacts(
  db: Database,
  input: { projectId: string; item: number; type: string; payload: Record<string, unknown>; atVersion: number },
): Promise<MaterialFacts> {
  const { attachments, previousSameEventSeq } = await materialsAtVersion(db, input.projectId, input.type, input.atVersion);
  return {
    item: input.item,
    eventType: input.type,
    outcome: typeof input.payload.outcome === 'string' ? input.payload.outcome : undefined,
    voucher: typeof input.payload.voucher === 'string' ? input.payload.voucher : undefined,
    attachments: attachments.map((row) => ({ id: row.id, kind: row.kind, sha256: row.sha256, auditSeq: row.auditSeq })),
    previousSameEventSeq,
  };
}
