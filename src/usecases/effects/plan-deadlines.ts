import type { Deadline } from '../../../config/reminder-policies.ts';
import { addDays, businessDateOf } from '../../domain/business-date.ts';
import { planReminders, type PlannedReminder } from '../../domain/reminder-plan.ts';
import type { JobPayload } from '../../jobs/job-contract.ts';
import type { SCHEDULE_PLAN_JOB } from '../../jobs/schedule-plan.job.ts';
import type { SCHEDULE_REPLAN_JOB } from '../../jobs/schedule-replan.job.ts';
import { planDeadlines as storePlannedDeadlines, type DeadlineToPlan } from '../../store/schedule-planning.store.ts';
import type { ScheduleChange } from '../../store/schedules.store.ts';
import type { EffectDeps } from './effect-deps.ts';

export type PlanDeps = Pick<EffectDeps, 'db' | 'timers' | 'policies' | 'rules' | 'now' | 'unannouncedDate'>;

/** The reminder sequence of a deadline by the reminder policies. */
export function reminderPlan(deps: Pick<EffectDeps, 'policies'>): (entry: DeadlineToPlan, scheduleId: string, generation: number) => PlannedReminder[] {
  return (entry, scheduleId, generation) =>
    planReminders(scheduleId, generation, entry.dueDate, deps.policies.policies[entry.deadline as Deadline], deps.policies.sendHour);
}

/** Every deadline an effect plans goes to the database in one transaction of two statements, then on its timers. */
async function plan(deps: PlanDeps, deadlines: DeadlineToPlan[], now: Date): Promise<ScheduleChange> {
  const change = await storePlannedDeadlines(deps.db, deadlines, now, reminderPlan(deps));
  await deps.timers.schedule(change, now);
  return change;
}

/**
 * The deadlines of a schedule.plan effect. With each regular inspection an unannounced one falls on
 * a day nobody can predict, before it; only inspectors are reminded of it (plan 四.4: regular and
 * unannounced supervision).
 */
export function deadlinesToPlan(deps: Pick<EffectDeps, 'unannouncedDate'>, payload: JobPayload<typeof SCHEDULE_PLAN_JOB>, now: Date): DeadlineToPlan[] {
  const { projectId, seq, deadline, date } = payload;
  const deadlines: DeadlineToPlan[] = [{ projectId, seq, deadline, dueDate: date }];
  if (deadline === 'inspection.regular') {
    deadlines.push({ projectId, seq, deadline: 'inspection.unannounced', dueDate: deps.unannouncedDate(businessDateOf(now), date) });
  }
  return deadlines;
}

/** The deadlines of a schedule.replan effect (after a resume): execution deadlines from today, an open correction keeps its date. */
export function deadlinesToReplan(deps: Pick<EffectDeps, 'rules'>, payload: JobPayload<typeof SCHEDULE_REPLAN_JOB>, now: Date): DeadlineToPlan[] {
  const { projectId, seq, correctionDue } = payload;
  const today = businessDateOf(now);
  return [
    { projectId, seq, deadline: 'inspection.regular', dueDate: addDays(today, deps.rules.inspectionCadenceDays) },
    { projectId, seq, deadline: 'progress.report', dueDate: addDays(today, deps.rules.progressReportCadenceDays) },
    ...(correctionDue ? [{ projectId, seq, deadline: 'correction', dueDate: correctionDue }] : []),
  ];
}

/** Plans one deadline (and the unannounced inspection that comes with a regular one). */
export async function planDeadline(deps: PlanDeps, payload: JobPayload<typeof SCHEDULE_PLAN_JOB>): Promise<ScheduleChange> {
  const now = deps.now();
  return plan(deps, deadlinesToPlan(deps, payload, now), now);
}

/** After a resume: the execution deadlines start again from today, and an open correction keeps its date. */
export async function replanDeadlines(deps: PlanDeps, payload: JobPayload<typeof SCHEDULE_REPLAN_JOB>): Promise<ScheduleChange> {
  const now = deps.now();
  return plan(deps, deadlinesToReplan(deps, payload, now), now);
}
