import type { Actor } from '../../../machines/project.types.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { acknowledgeAlert as acknowledgeStoredAlert } from '../../store/alerts.store.ts';

/** Acknowledges an open alert of my role (admins: any), with an optional note of what was done. */
export async function acknowledgeAlert(deps: EngineDeps, actor: Actor, alertId: string, note: string | null = null) {
  const done = await acknowledgeStoredAlert(deps.db, alertId, actor.userId, actor.role === 'admin' ? null : [actor.role], deps.now(), note);
  if (!done) throw new AppError('not-found', `no open alert ${alertId} for your role`);
  return { id: alertId, acknowledged: true, ...(note ? { note } : {}) };
}
