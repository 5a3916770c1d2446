import type { Deadline } from '../../../config/reminder-policies.ts';
import { addDays, businessDateOf } from '../../domain/business-date.ts';
import { planReminders } from '../../domain/reminder-plan.ts';
import type { JobPayload } from '../../jobs/job-contract.ts';
import type { SCHEDULE_PLAN_JOB } from '../../jobs/schedule-plan.job.ts';
import type { SCHEDULE_REPLAN_JOB } from '../../jobs/schedule-replan.job.ts';
import { planDeadlines as storePlannedDeadlines, type DeadlineToPlan } from '../../store/schedule-planning.store.ts';
import type { ScheduleChange } from '../../store/schedules.store.ts';
import type { EffectDeps } from './effect-deps.ts';

type PlanDeps = Pick<EffectDeps, 'db' | 'timers' | 'policies' | 'rules' | 'now' | 'unannouncedDate'>;

/** Every deadline an effect plans goes to the database in one transaction of two statements, then on its timers. */
async function plan(deps: PlanDeps, deadlines: DeadlineToPlan[], now: Date): Promise<ScheduleChange> {
  const change = await storePlannedDeadlines(deps.db, deadlines, now, (entry, scheduleId, generation) =>
    planReminders(scheduleId, generation, entry.dueDate, deps.policies.policies[entry.deadline as Deadline], deps.policies.sendHour),
  );
  await deps.timers.schedule(change, now);
  return change;
}

/**
 * Plans one deadline. With each regular inspection an unannounced one falls on a day nobody can
 * predict, before it; only inspectors are reminded of it (plan 四.4: regular and unannounced supervision).
 */
export async function planDeadline(deps: PlanDeps, payload: JobPayload<typeof SCHEDULE_PLAN_JOB>): Promise<ScheduleChange> {
  const now = deps.now();
  const { projectId, seq, deadline, date } = payload;
  const deadlines: DeadlineToPlan[] = [{ projectId, seq, deadline, dueDate: date }];
  if (deadline === 'inspection.regular') {
    deadlines.push({ projectId, seq, deadline: 'inspection.unannounced', dueDate: deps.unannouncedDate(businessDateOf(now), date) });
  }
  return plan(deps, deadlines, now);
}

/** After a resume: the execution deadlines start again from today, and an open correction keeps its date. */
export async function replanDeadlines(deps: PlanDeps, payload: JobPayload<typeof SCHEDULE_REPLAN_JOB>): Promise<ScheduleChange> {
  const now = deps.now();
  const { projectId, seq, correctionDue } = payload;
  const today = businessDateOf(now);
  return plan(
    deps,
    [
      { projectId, seq, deadline: 'inspection.regular', dueDate: addDays(today, deps.rules.inspectionCadenceDays) },
      { projectId, seq, deadline: 'progress.report', dueDate: addDays(today, deps.rules.progressReportCadenceDays) },
      ...(correctionDue ? [{ projectId, seq, deadline: 'correction', dueDate: correctionDue }] : []),
    ],
    now,
  );
}
