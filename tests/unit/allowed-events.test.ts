import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { acceptedEventTypes, explainRefusal } from '../../machines/project.refusals.ts';
import { allowedEventsFor } from '../../src/engine/project-view.ts';
import { actorFor, authorizedSampleEvents, exploreShortestPaths, makeEvent, rules, stateNameOf } from './support/project-model.ts';

/**
 * allowedEvents offers an event only when the state takes it, the role may send it, and no guard
 * that reads the context alone refuses it now. Checked on every state the model traversal reaches.
 */
const REACHED = exploreShortestPaths()
  .map((path) => path.state)
  .filter((snapshot) => snapshot.status === 'active');

describe('allowedEvents respects the guards on the context', () => {
  it('every authorized sample event the machine takes is offered, and every one left out is refused by the machine', () => {
    let leftOut = 0;
    let taken = 0;
    for (const snapshot of REACHED) {
      for (const event of authorizedSampleEvents(snapshot)) {
        const allowed = allowedEventsFor(event.actor, snapshot, snapshot.context.orgId);
        const [next] = transition(snapshot.machine, snapshot, event);
        const where = `${event.type} by ${event.actor.role} in ${stateNameOf(snapshot)}`;
        if (next !== snapshot) {
          expect(allowed, where).toContain(event.type);
          taken += 1;
        } else if (!allowed.includes(event.type) && acceptedEventTypes(snapshot).includes(event.type)) {
          expect(explainRefusal(snapshot, event, rules).kind, where).toBe('guard');
          leftOut += 1;
        }
      }
    }
    expect(taken).toBeGreaterThan(100);
    expect(leftOut).toBeGreaterThan(0);
  });

  it('target-amendment decisions are offered to finance only while an amendment is pending, and the refusal text stays', () => {
    const withoutAmendment = REACHED.find((snapshot) => stateNameOf(snapshot) === 'executing' && snapshot.context.pendingAmendment === null && snapshot.context.correction === null);
    const withAmendment = REACHED.find((snapshot) => snapshot.context.pendingAmendment);
    expect(withoutAmendment).toBeDefined();
    expect(withAmendment).toBeDefined();
    const finance = actorFor('finance');
    expect(acceptedEventTypes(withoutAmendment!)).toContain('APPROVE_AMENDMENT');
    expect(allowedEventsFor(finance, withoutAmendment!, withoutAmendment!.context.orgId)).not.toContain('APPROVE_AMENDMENT');
    expect(allowedEventsFor(finance, withoutAmendment!, withoutAmendment!.context.orgId)).not.toContain('REJECT_AMENDMENT');
    expect(allowedEventsFor(finance, withAmendment!, withAmendment!.context.orgId)).toEqual(expect.arrayContaining(['APPROVE_AMENDMENT', 'REJECT_AMENDMENT']));
    // Sent anyway: the guard's own text explains it.
    const sent = makeEvent('APPROVE_AMENDMENT', { comment: '同意' }, finance);
    expect(explainRefusal(withoutAmendment!, sent, rules)).toMatchObject({ kind: 'guard', refusals: [{ code: 'no-amendment-pending' }] });
  });

  it('payload guards do not hide an event: DISBURSE stays offered to finance in approved', () => {
    const approved = REACHED.find((snapshot) => stateNameOf(snapshot) === 'approved');
    expect(allowedEventsFor(actorFor('finance'), approved!, approved!.context.orgId)).toContain('DISBURSE');
  });
});
