import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, transition } from 'xstate';
import { PROJECT_MACHINE_VERSION } from '../../machines/project.machine.ts';
import type { ProjectSnapshot } from '../../machines/project.refusals.ts';
import { restoreProjectSnapshot, SNAPSHOT_MIGRATIONS, type RestoreResult } from '../../machines/project.restore.ts';
import {
  allStateNodes,
  exploreShortestPaths,
  initialSnapshot,
  machine,
  projectionOf,
  sampleEvents,
  stateNameOf,
} from './support/project-model.ts';

/** One snapshot per distinct vertex projection the model reaches: each state, with the contexts that decide its guards. */
const REACHED: ProjectSnapshot[] = [
  ...new Map(exploreShortestPaths().map((path) => [projectionOf(path.state), path.state] as const)).values(),
];

function persist(snapshot: ProjectSnapshot): Record<string, unknown> {
  return JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))) as Record<string, unknown>;
}

/** restoreProjectSnapshot, with a throw turned into a value so that the assertion says what happened. */
function restore(version: string, persisted: unknown): RestoreResult | { threw: string } {
  try {
    return restoreProjectSnapshot(machine, version, persisted);
  } catch (error) {
    return { threw: String(error) };
  }
}

function reachedIn(name: string): ProjectSnapshot {
  const snapshot = REACHED.find((candidate) => stateNameOf(candidate) === name);
  if (!snapshot) throw new Error(`the model does not reach ${name}`);
  return snapshot;
}

describe('restoring a snapshot of an unknown machine version', () => {
  const executing = persist(reachedIn('executing'));

  it.each(['project@0', 'project@2', 'PROJECT@1', ' project@1', 'project@1 ', '', 'v1', 'toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'refuses version %j instead of resetting or throwing',
    (version) => {
      const result = restore(version, executing);
      expect(result).toEqual({
        ok: false,
        reason: `unknown machine version ${JSON.stringify(version)}; this build runs ${PROJECT_MACHINE_VERSION}`,
      });
    },
  );

  it('refuses any other version string', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }).filter((version) => version !== PROJECT_MACHINE_VERSION),
        (version) => {
          const result = restore(version, executing);
          expect(result).toMatchObject({ ok: false });
          expect('snapshot' in result).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('applies a registered migration chain, and still refuses a version with no migration', () => {
    const seen: string[] = [];
    SNAPSHOT_MIGRATIONS['project@0'] = {
      to: PROJECT_MACHINE_VERSION,
      migrate: (persisted) => {
        seen.push('project@0');
        return { ...persisted, context: { ...(persisted.context as object), migrated: true } };
      },
    };
    try {
      const result = restore('project@0', executing);
      expect(seen).toEqual(['project@0']);
      expect(result).toMatchObject({ ok: true });
      if (!('ok' in result) || !result.ok) return;
      expect(stateNameOf(result.snapshot)).toBe('executing');
      expect((result.snapshot.context as unknown as { migrated?: boolean }).migrated).toBe(true);
      expect(restore('project@-1', executing)).toMatchObject({ ok: false });
    } finally {
      delete SNAPSHOT_MIGRATIONS['project@0'];
    }
    expect(Object.keys(SNAPSHOT_MIGRATIONS)).not.toContain('project@0');
  });
});

describe('restoring a snapshot whose state does not exist', () => {
  const base = persist(reachedIn('executing'));

  it.each([
    ['an unknown top-level state', 'nope'],
    ['an unknown substate', { proposed: 'nope' }],
    ['an unknown parent', { nope: 'draft' }],
    ['a renamed substate', { 'deviated-corrected': 'fixing' }],
    ['a child under an atomic state', { executing: 'x' }],
    ['a dotted path as a string', 'proposed.review'],
    ['an extra region', { suspended: 'held', x: 1 }],
  ] as const)('refuses %s (the actor comes back with status error, which restore checks)', (_label, value) => {
    const stored = { ...base, value };
    const direct = createActor(machine, { snapshot: stored } as never).getSnapshot() as { status: string };
    expect(direct.status).toBe('error');
    const result = restore(PROJECT_MACHINE_VERSION, stored);
    expect(result).toMatchObject({ ok: false });
    expect('reason' in result && result.reason).toMatch(/^the stored (snapshot cannot be restored: .*does not exist|state value .* is not a state)/);
  });

  it.each([
    ['an empty object', {}],
    ['a number', 42],
    ['an empty string', ''],
    ['an array', []],
  ] as const)('refuses %s as the state value instead of resetting to the initial state', (_label, value) => {
    const result = restore(PROJECT_MACHINE_VERSION, { ...base, value });
    expect(result).toMatchObject({ ok: false });
  });

  it('refuses a stored snapshot without a value or a context', () => {
    const { value: _value, ...noValue } = base;
    const { context: _context, ...noContext } = base;
    for (const stored of [noValue, noContext, null, 'executing', 42]) {
      expect(restore(PROJECT_MACHINE_VERSION, stored)).toEqual({
        ok: false,
        reason: expect.stringMatching(/^the stored (snapshot has no context|state value undefined is not a state)$/),
      });
    }
  });
});

describe('a persisted snapshot round-trips through JSON', () => {
  it('the model reaches every state node, final ones included', () => {
    const leaves = allStateNodes()
      .filter((node) => node.type === 'atomic' || node.type === 'final')
      .map((node) => node.path.join('.'))
      .sort();
    expect([...new Set(REACHED.map(stateNameOf))].sort()).toEqual(leaves);
  });

  it('for every reachable state: same value, context and status, and the same answer to every event', () => {
    let compared = 0;
    for (const original of REACHED) {
      const name = stateNameOf(original);
      const stored = persist(original);
      const result = restore(PROJECT_MACHINE_VERSION, stored);
      expect(result, name).toMatchObject({ ok: true });
      if (!('ok' in result) || !result.ok) continue;
      const restored = result.snapshot;
      expect(restored.value, name).toEqual(original.value);
      expect(restored.context, name).toEqual(original.context);
      expect(restored.status, name).toBe(original.status);
      expect(persist(restored), name).toEqual(stored);
      for (const event of sampleEvents(original)) {
        const [fromOriginal, originalActions] = transition(machine, original, event);
        const [fromRestored, restoredActions] = transition(machine, restored, event);
        const label = `${event.type} in ${name}`;
        expect(fromRestored === restored, label).toBe(fromOriginal === original);
        expect(fromRestored.value, label).toEqual(fromOriginal.value);
        expect(fromRestored.context, label).toEqual(fromOriginal.context);
        expect(restoredActions.map(({ type, params }) => ({ type, params })), label).toEqual(
          originalActions.map(({ type, params }) => ({ type, params })),
        );
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(REACHED.length * 20);
  });

  it('restores the initial draft of a new project', () => {
    const result = restore(PROJECT_MACHINE_VERSION, persist(initialSnapshot()));
    expect(result).toMatchObject({ ok: true });
    expect('ok' in result && result.ok && result.snapshot.value).toEqual({ proposed: 'draft' });
  });
});
