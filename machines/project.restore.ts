import { createActor } from 'xstate';
import { PROJECT_MACHINE_VERSION, type ProjectMachine } from './project.machine.ts';
import type { ProjectSnapshot } from './project.refusals.ts';
import type { ProjectContext } from './project.types.ts';

/**
 * The one place a stored snapshot becomes a live one. It checks the machine version, applies the
 * pure migrations from older versions, and rehydrates through createActor (a snapshot parsed from
 * JSON is not usable by transition() until rehydrated). A failed restore comes back with status
 * 'error' instead of throwing, so the status is checked here.
 */
type Migration = (persisted: Record<string, unknown>) => Record<string, unknown>;

/** Migrations keyed by the version they upgrade from; each returns the next version's shape. */
export const SNAPSHOT_MIGRATIONS: Record<string, { to: string; migrate: Migration }> = {};

/** A non-empty string, or an object with exactly one key whose value is a state value. */
function isStateValue(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length === 1 && isStateValue(entries[0]![1]);
}

export type RestoreResult =
  | { ok: true; snapshot: ProjectSnapshot }
  | { ok: false; reason: string };

/** A stored snapshot brought to this build's machine version by the migrations, not yet rehydrated. */
export function migratePersisted(
  machineVersion: string,
  persisted: unknown,
): { ok: true; persisted: Record<string, unknown> } | { ok: false; reason: string } {
  let version = machineVersion;
  let state = persisted as Record<string, unknown>;
  while (version !== PROJECT_MACHINE_VERSION) {
    const step = Object.hasOwn(SNAPSHOT_MIGRATIONS, version) ? SNAPSHOT_MIGRATIONS[version] : undefined;
    if (!step) return { ok: false, reason: `unknown machine version ${JSON.stringify(machineVersion)}; this build runs ${PROJECT_MACHINE_VERSION}` };
    state = step.migrate(state);
    version = step.to;
  }
  return { ok: true, persisted: state };
}

/**
 * The context of a stored project, migrated to this build's version: for readers that need more
 * than the projection columns (a report, the email-link page, the daily checks) and no live
 * snapshot. Throws on a version this build cannot read, like a command would.
 */
export function storedContextOf(row: { machine_version: string; snapshot: unknown }): ProjectContext {
  const migrated = migratePersisted(row.machine_version, row.snapshot);
  if (!migrated.ok) throw new Error(migrated.reason);
  const context = migrated.persisted.context;
  if (typeof context !== 'object' || context === null) throw new Error('the stored snapshot has no context');
  return context as ProjectContext;
}

export function restoreProjectSnapshot(machine: ProjectMachine, machineVersion: string, persisted: unknown): RestoreResult {
  const migrated = migratePersisted(machineVersion, persisted);
  if (!migrated.ok) return migrated;
  const state = migrated.persisted;
  if (typeof state !== 'object' || state === null || typeof state.context !== 'object' || state.context === null) {
    return { ok: false, reason: 'the stored snapshot has no context' };
  }
  if (!isStateValue(state.value)) return { ok: false, reason: `the stored state value ${JSON.stringify(state.value)} is not a state` };
  if (state.status !== 'active' && state.status !== 'done') {
    return { ok: false, reason: `the stored snapshot has status ${JSON.stringify(state.status)}` };
  }
  const snapshot = createActor(machine, { snapshot: state } as never).getSnapshot();
  if (snapshot.status === 'error') {
    return { ok: false, reason: `the stored snapshot cannot be restored: ${String((snapshot.error as Error | undefined)?.message ?? snapshot.error)}` };
  }
  // XState fills gaps from the initial state; a restore that does not land where it was stored is refused.
  if (JSON.stringify(snapshot.value) !== JSON.stringify(state.value)) {
    return { ok: false, reason: `the stored state value ${JSON.stringify(state.value)} does not restore to itself` };
  }
  return { ok: true, snapshot };
}
