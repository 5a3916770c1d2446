import type { ReminderPolicies, ReminderPolicy } from '../../../config/reminder-policies.ts';
import { addDays, businessDateOf } from '../../domain/business-date.ts';
import { planReminders } from '../../domain/reminder-plan.ts';
import type { JobPayload } from '../../jobs/job-contract.ts';
import type { TASK_OPEN_JOB } from '../../jobs/task-open.job.ts';
import { planDeadlines } from '../../store/schedule-planning.store.ts';
import { openTask } from '../../store/tasks.store.ts';
import type { EffectDeps } from './effect-deps.ts';
import { factsOf } from './project-facts.ts';
import { sendTaskLinks } from './send-task-links.ts';

/** Task reminders: to the task's role before and on the due date, then escalated to the supervisor. */
function taskPolicy(policies: ReminderPolicies, role: string): ReminderPolicy {
  return { ...policies.policies.correction, audience: [role] as ReminderPolicy['audience'], beforeDays: [1] };
}

/**
 * Opens a task for the step's assignees (once per project, event and kind; born cancelled when a
 * later event closed the project's tasks), plans its deadline and emails each candidate a link.
 * Every step is idempotent, so a relayed-again job finishes what a lost one started.
 */
export async function createTask(deps: EffectDeps, payload: JobPayload<typeof TASK_OPEN_JOB>): Promise<number> {
  const now = deps.now();
  const facts = await factsOf(deps.db, payload.projectId, payload.seq);
  const dueDate = addDays(businessDateOf(now), deps.taskRules.dueDays[payload.task] ?? deps.taskRules.defaultDueDays);
  const task = await openTask(deps.db, {
    projectId: payload.projectId,
    seq: payload.seq,
    kind: payload.task,
    role: payload.role,
    step: payload.step ?? null,
    orgId: payload.role === 'applicant' ? facts.org_id : null,
    dueDate,
    now,
  });
  if (task.status !== 'open') return 0;
  const change = await planDeadlines(deps.db, [{ projectId: payload.projectId, seq: payload.seq, deadline: `task.${payload.task}`, dueDate: task.due_date }], now, (_entry, scheduleId, generation) =>
    planReminders(scheduleId, generation, task.due_date, taskPolicy(deps.policies, payload.role), deps.policies.sendHour),
  );
  await deps.timers.schedule(change, now);
  return sendTaskLinks(deps, task, facts);
}
