import type { Actor } from '../../machines/project.types.ts';
import { hashAuditRecord } from '../domain/audit-chain.ts';
import { findProject, writeTransition, type OutboxInsert } from '../store/projects.store.ts';
import { AppError } from './app-error.ts';
import type { Channel, EngineDeps } from './engine-deps.ts';

/**
 * Appends an audit event that is not a state change (a task delegated, for example) to the
 * project's hash chain, with its outbox rows, in the same single statement a transition uses.
 */
export async function recordProjectEvent(
  deps: EngineDeps,
  input: { projectId: string; actor: Actor; channel: Channel; eventType: string; payload: Record<string, unknown>; reason: string | null; outbox: (seq: number) => OutboxInsert[] },
): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const project = await findProject(deps.db, input.projectId);
    if (!project) throw new AppError('not-found', `project ${input.projectId} does not exist`);
    const seq = project.version + 1;
    const at = deps.now().toISOString();
    const fields = {
      projectId: project.id,
      seq,
      eventType: input.eventType,
      actorId: input.actor.userId,
      actorRole: input.actor.role,
      channel: input.channel,
      fromState: project.state,
      toState: project.state,
      payload: input.payload,
      reason: input.reason,
      occurredAt: at,
      prevHash: project.last_hash,
    };
    const written = await writeTransition(deps.db, {
      projectId: project.id,
      expectedVersion: project.version,
      state: project.state,
      snapshot: project.snapshot,
      title: project.title,
      item: project.item,
      requestedFen: project.requested_fen,
      audit: { ...fields, hash: hashAuditRecord(fields) },
      outbox: input.outbox(seq),
    });
    if (written) return seq;
  }
  throw new AppError('version-conflict', 'the project kept changing; try again');
}
