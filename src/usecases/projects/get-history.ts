import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findProject, listProjectEvents } from '../../store/projects.store.ts';

/** A project's audit trail, hash chain included. */
export async function getHistory(deps: EngineDeps, actor: Actor, projectId: string) {
  const row = await findProject(deps.db, projectId);
  if (!row || !canReadProject(actor, row.org_id)) {
    throw new AppError('not-found', `project ${projectId} does not exist or is not visible to you`);
  }
  const events = await listProjectEvents(deps.db, projectId);
  return {
    projectId,
    code: row.code,
    events: events.map((event) => ({
      seq: event.seq,
      type: event.event_type,
      actor: { id: event.actor_id, role: event.actor_role, name: event.actor_name },
      channel: event.channel,
      from: event.from_state,
      to: event.to_state,
      payload: event.payload,
      reason: event.reason,
      at: new Date(event.occurred_at).toISOString(),
      prevHash: event.prev_hash,
      hash: event.hash,
    })),
  };
}
