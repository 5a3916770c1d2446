import { getNextTransitions, type SnapshotFrom } from 'xstate';
import type { LifecycleRules } from '../config/lifecycle-rules.ts';
import { refusal, type Refusal } from '../src/domain/refusal.ts';
import { isProjectState } from '../src/domain/vocabulary.ts';
import { labelOf } from '../src/i18n/messages.ts';
import { GUARD_CHECKS, type GuardCheck } from './project.guards.ts';
import type { ProjectMachine } from './project.machine.ts';
import type { ProjectEventType } from './project.schemas.ts';
import type { ProjectEvent } from './project.types.ts';

export type ProjectSnapshot = SnapshotFrom<ProjectMachine>;

/** Event types the current state takes (guards not evaluated), in a stable order. */
export function acceptedEventTypes(snapshot: ProjectSnapshot): ProjectEventType[] {
  if (snapshot.status !== 'active') return [];
  const types = new Set<ProjectEventType>();
  for (const candidate of getNextTransitions(snapshot)) types.add(candidate.eventType as ProjectEventType);
  return [...types];
}

/** "evaluated.accepted" from { evaluated: 'accepted' }. */
function flatStateOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return child ? `${key}.${flatStateOf(child)}` : key;
}

export type RefusalExplanation =
  | { kind: 'not-accepted'; allowed: ProjectEventType[]; refusal: Refusal }
  | { kind: 'guard'; refusals: Refusal[] };

/** Why an event changed nothing: either the state does not take it, or a guard refused it. */
export function explainRefusal(snapshot: ProjectSnapshot, event: ProjectEvent, rules: LifecycleRules): RefusalExplanation {
  const candidates = snapshot.status === 'active' ? getNextTransitions(snapshot).filter((candidate) => candidate.eventType === event.type) : [];
  if (candidates.length === 0) {
    const allowed = snapshot.status === 'active' ? acceptedEventTypes(snapshot) : [];
    const name = labelOf('event', event.type);
    const state = flatStateOf(snapshot.value);
    const stateZh = isProjectState(state) ? labelOf('state', state).zh : state;
    return {
      kind: 'not-accepted',
      allowed,
      refusal: refusal('event-not-allowed', `项目当前状态为“${stateZh}”，不能“${name.zh}”`, `${event.type} is not allowed in state ${state}`, { state }),
    };
  }
  const refusals = new Map<string, Refusal>();
  for (const candidate of candidates) {
    const guard = typeof candidate.guard === 'string' ? candidate.guard : undefined;
    const check: GuardCheck | undefined = guard && Object.hasOwn(GUARD_CHECKS, guard) ? GUARD_CHECKS[guard as keyof typeof GUARD_CHECKS] : undefined;
    const found = check?.(snapshot.context, event, rules);
    if (found) refusals.set(`${found.code}\u0000${found.en}`, found);
  }
  if (refusals.size === 0) {
    const name = labelOf('event', event.type);
    return { kind: 'guard', refusals: [refusal('not-applicable', `“${name.zh}”不适用于该项目的当前情况`, `${event.type} does not apply to this project as it stands`)] };
  }
  return { kind: 'guard', refusals: [...refusals.values()] };
}
