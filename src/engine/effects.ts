import { EFFECT_ACTIONS, type EffectAction } from '../../machines/project.machine.ts';
import type { OutboxInsert } from '../store/projects.store.ts';

const TOPICS: Record<EffectAction, string> = {
  openTask: 'task.open',
  closeTasks: 'task.close',
  notify: 'notify',
  recordLedger: 'ledger.entry',
  planDeadline: 'schedule.plan',
  cancelDeadlines: 'schedule.cancel',
  replanDeadlines: 'schedule.replan',
};

/** Ledger movements are written in the transition's own statement, not relayed. */
const isEffect = (type: string): type is EffectAction => type !== 'recordLedger' && (EFFECT_ACTIONS as readonly string[]).includes(type);

/**
 * Turns the actions transition() returned into outbox rows. The dedupe key (project, seq, index)
 * makes a relayed row's job id deterministic; it has no ':' because BullMQ refuses it in job ids.
 */
export function outboxRowsFor(
  projectId: string,
  seq: number,
  cause: { eventType: string; actorId: string | null },
  actions: readonly { type: string; params?: unknown }[],
): OutboxInsert[] {
  return actions
    .filter((action) => isEffect(action.type))
    // A planned deadline without a date (e.g. after an unannounced inspection) asks for nothing.
    .filter((action) => action.type !== 'planDeadline' || (action.params as { date: string | null }).date !== null)
    .map((action, index) => ({
      topic: TOPICS[action.type as EffectAction],
      payload: { projectId, seq, eventType: cause.eventType, actorId: cause.actorId, ...((action.params as object | undefined) ?? {}) },
      dedupe_key: `${projectId}.${seq}.${index}`,
    }));
}
