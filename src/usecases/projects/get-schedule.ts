import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findProject } from '../../store/projects.store.ts';
import { listProjectSchedule } from '../../store/schedules.store.ts';

/** Deadlines applicants never see: unannounced inspections. */
const HIDDEN_FROM_APPLICANTS = new Set(['inspection.unannounced']);

/** A project's planned deadlines and their reminders. */
export async function getSchedule(deps: EngineDeps, actor: Actor, projectId: string) {
  const project = await findProject(deps.db, projectId);
  if (!project || !canReadProject(actor, project.org_id)) throw new AppError('not-found', `project ${projectId} does not exist or is not visible to you`);
  const schedule = (await listProjectSchedule(deps.db, projectId)).filter(
    (entry) => actor.role !== 'applicant' || !HIDDEN_FROM_APPLICANTS.has(entry.deadline),
  );
  return {
    projectId,
    code: project.code,
    deadlines: schedule.map((entry) => ({
      deadline: entry.deadline,
      dueDate: entry.due_date,
      status: entry.status,
      generation: entry.generation,
      reminders: entry.reminders.map((reminder) => ({
        id: reminder.id,
        at: new Date(reminder.fire_at).toISOString(),
        offsetDays: reminder.offset_days,
        escalation: reminder.escalate,
        audience: reminder.audience,
        status: reminder.status,
        reason: reminder.status_reason,
        generation: reminder.generation,
      })),
    })),
  };
}
