import { createActor } from 'xstate';
import { PROJECT_MACHINE_VERSION, type ProjectMachine } from './project.machine.ts';
import type { ProjectSnapshot } from './project.refusals.ts';

/**
 * The one place a stored snapshot becomes a live one. It checks the machine version, applies the
 * pure migrations from older versions, and rehydrates through createActor (a snapshot parsed from
 * JSON is not usable by transition() until rehydrated). A failed restore comes back with status
 * 'error' instead of throwing, so the status is checked here.
 */
type Migration = (persisted: Record<string, unknown>) => Record<string, unknown>;

/** Migrations keyed by the version they upgrade from; each returns the next version's shape. */
export const SNAPSHOT_MIGRATIONS: Record<string, { to: string; migrate: Migration }> = {};

export type RestoreResult =
  | { ok: true; snapshot: ProjectSnapshot }
  | { ok: false; reason: string };

export function restoreProjectSnapshot(machine: ProjectMachine, machineVersion: string, persisted: unknown): RestoreResult {
  let version = machineVersion;
  let state = persisted as Record<string, unknown>;
  while (version !== PROJECT_MACHINE_VERSION) {
    const step = SNAPSHOT_MIGRATIONS[version];
    if (!step) return { ok: false, reason: `unknown machine version ${JSON.stringify(machineVersion)}; this build runs ${PROJECT_MACHINE_VERSION}` };
    state = step.migrate(state);
    version = step.to;
  }
  if (typeof state !== 'object' || state === null || !('value' in state) || !('context' in state)) {
    return { ok: false, reason: 'the stored snapshot has no state value or context' };
  }
  const snapshot = createActor(machine, { snapshot: state } as never).getSnapshot();
  if (snapshot.status === 'error') {
    return { ok: false, reason: `the stored snapshot cannot be restored: ${String((snapshot.error as Error | undefined)?.message ?? snapshot.error)}` };
  }
  return { ok: true, snapshot };
}
