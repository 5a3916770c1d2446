import type { ProjectContext } from '../../machines/project.types.ts';
import type { Database } from './database.ts';

/** The reads of the daily checks and of the periodic mails. */

export async function listOverdueSchedules(db: Database, today: string) {
  return db.query<{ id: string; project_id: string; code: string; deadline: string; due_date: string }>(
    `SELECT s.id, s.project_id, p.code, s.deadline, to_char(s.due_date, 'YYYY-MM-DD') AS due_date
       FROM schedules s JOIN projects p ON p.id = s.project_id WHERE s.status = 'active' AND s.due_date < $1::date`,
    [today],
  );
}


/** Open tasks that had links and have no usable one left at `now`. */
export async function listTasksWithExpiredLinks(db: Database, now: Date) {
  return db.query<{ id: string; project_id: string; code: string; kind: string; role: string }>(
    `SELECT t.id, t.project_id, p.code, t.kind, t.role FROM tasks t JOIN projects p ON p.id = t.project_id
      WHERE t.status = 'open' AND EXISTS (SELECT 1 FROM task_links l WHERE l.task_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM task_links l WHERE l.task_id = t.id AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > $1)`,
    [now.toISOString()],
  );
}

export async function listActiveUsersOfRole(db: Database, role: string) {
  return db.query<{ id: string; email: string; name: string; locale: string }>(`SELECT id, email, name, locale FROM users WHERE active AND role = $1 ORDER BY email`, [role]);
}
