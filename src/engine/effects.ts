import { EFFECT_ACTIONS, type EffectAction } from '../../machines/project.machine.ts';
import { NOTIFY_JOB } from '../jobs/notify.job.ts';
import { SCHEDULE_CANCEL_JOB } from '../jobs/schedule-cancel.job.ts';
import { SCHEDULE_PLAN_JOB } from '../jobs/schedule-plan.job.ts';
import { SCHEDULE_REPLAN_JOB } from '../jobs/schedule-replan.job.ts';
import { TASK_CLOSE_JOB } from '../jobs/task-close.job.ts';
import { TASK_OPEN_JOB } from '../jobs/task-open.job.ts';
import type { OutboxInsert } from '../store/projects.store.ts';

/** Topics are the job contracts' names (src/jobs), which the consumers import too. */
const TOPICS: Record<EffectAction, string> = {
  openTask: TASK_OPEN_JOB.name,
  closeTasks: TASK_CLOSE_JOB.name,
  notify: NOTIFY_JOB.name,
  recordLedger: 'ledger.entry',
  planDeadline: SCHEDULE_PLAN_JOB.name,
  cancelDeadlines: SCHEDULE_CANCEL_JOB.name,
  replanDeadlines: SCHEDULE_REPLAN_JOB.name,
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
