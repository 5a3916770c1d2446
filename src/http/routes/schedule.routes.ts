import { Router } from 'express';
import { z } from 'zod';
import { canReadProject } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { acknowledgeAlert, listAlerts } from '../../store/alerts.store.ts';
import { findProject } from '../../store/projects.store.ts';
import { listProjectSchedule } from '../../store/schedules.store.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

/** Deadlines applicants never see: unannounced inspections. */
const HIDDEN_FROM_APPLICANTS = new Set(['inspection.unannounced']);

export function scheduleRouter(deps: EngineDeps): Router {
  const router = Router();

  router.get('/projects/:id/schedule', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const project = await findProject(deps.db, id);
    if (!project || !canReadProject(user, project.org_id)) throw new AppError('not-found', `project ${id} does not exist or is not visible to you`);
    const schedule = (await listProjectSchedule(deps.db, id)).filter(
      (entry) => user.role !== 'applicant' || !HIDDEN_FROM_APPLICANTS.has(entry.deadline),
    );
    res.json({
      projectId: id,
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
    });
  });

  router.get('/alerts', async (req, res) => {
    const user = requireUser(req);
    const query = parseOrThrow(
      z.object({ open: z.enum(['true', 'false']).default('true'), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      req.query,
    );
    const roles = user.role === 'admin' ? null : [user.role];
    const rows = await listAlerts(deps.db, { roles, open: query.open === 'true', limit: query.limit });
    res.json({
      items: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        severity: row.severity,
        projectId: row.project_id,
        projectCode: row.project_code,
        audienceRole: row.audience_role,
        message: row.message,
        details: row.details,
        at: new Date(row.created_at).toISOString(),
        acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
      })),
    });
  });

  router.post('/alerts/:id/acknowledge', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const done = await acknowledgeAlert(deps.db, id, user.userId, user.role === 'admin' ? null : [user.role], deps.now());
    if (!done) throw new AppError('not-found', `no open alert ${id} for your role`);
    res.json({ id, acknowledged: true });
  });

  return router;
}
