import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from './database.ts';

export interface TaskRow {
  id: string;
  project_id: string;
  kind: string;
  step: number | null;
  role: string;
  org_id: string | null;
  assignee_id: string | null;
  status: 'open' | 'done' | 'cancelled';
  due_date: string;
  opened_seq: number;
  closed_seq: number | null;
  completed_by: string | null;
  completed_event: string | null;
  closed_at: Date | null;
  created_at: Date;
}

const TASK_COLUMNS = `t.id, t.project_id, t.kind, t.step, t.role, t.org_id, t.assignee_id, t.status, to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
  t.opened_seq, t.closed_seq, t.completed_by, t.completed_event, t.closed_at, t.created_at`;

export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opens a task once per (project, event, kind); born cancelled when a later event closed (or will close) the project's tasks. */
export async function openTask(
  db: Database,
  input: { projectId: string; seq: number; kind: string; role: string; step: number | null; orgId: string | null; dueDate: string; now: Date },
): Promise<TaskRow> {
  await db.query(
    `INSERT INTO tasks (id, project_id, kind, step, role, org_id, status, due_date, opened_seq, created_at)
     SELECT $1, $2, $3, $4, $5, $6,
            CASE WHEN coalesce((SELECT seq FROM task_close_marks WHERE project_id = $2), 0) > $8
                   -- a backlog being relayed: a later event already closed it
                   OR EXISTS (SELECT 1 FROM outbox WHERE project_id = $2 AND topic = 'task.close' AND event_seq > $8)
                 THEN 'cancelled' ELSE 'open' END,
            $7, $8, $9
     ON CONFLICT (project_id, opened_seq, kind) DO NOTHING`,
    [randomUUID(), input.projectId, input.kind, input.step, input.role, input.orgId, input.dueDate, input.seq, input.now.toISOString()],
  );
  const rows = await db.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE project_id = $1 AND opened_seq = $2 AND kind = $3`, [
    input.projectId,
    input.seq,
    input.kind,
  ]);
  return rows[0]!;
}

/** Closes the project's open tasks opened before `seq`, and revokes their links, in one transaction. */
export async function closeTasks(
  db: Database,
  input: { projectId: string; seq: number; completedBy: string | null; completedEvent: string | null; now: Date },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO task_close_marks (project_id, seq) VALUES ($1, $2)
       ON CONFLICT (project_id) DO UPDATE SET seq = greatest(task_close_marks.seq, EXCLUDED.seq)`,
      [input.projectId, input.seq],
    );
    const closed = await tx.query<{ id: string }>(
      `UPDATE tasks SET status = CASE WHEN $3::uuid IS NULL THEN 'cancelled' ELSE 'done' END, closed_seq = $2,
              completed_by = $3, completed_event = $4, closed_at = $5
        WHERE project_id = $1 AND status = 'open' AND opened_seq < $2 RETURNING id`,
      [input.projectId, input.seq, input.completedBy, input.completedEvent, input.now.toISOString()],
    );
    if (closed.length > 0) {
      await tx.query(
        `UPDATE task_links SET revoked_at = $2, revoked_reason = 'the task was completed or the project moved on'
          WHERE task_id = ANY($1::uuid[]) AND used_at IS NULL AND revoked_at IS NULL`,
        [closed.map((row) => row.id), input.now.toISOString()],
      );
    }
    return closed.map((row) => row.id);
  });
}

export async function findTask(db: Database, id: string): Promise<TaskRow | undefined> {
  return (await db.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1`, [id]))[0];
}

/** Candidates of a task: its assignee, or every active user of its role (in its organisation when set). */
export async function taskCandidates(db: Database, task: TaskRow) {
  return db.query<{ id: string; email: string; name: string; role: string; locale: 'zh-CN' | 'en' }>(
    `SELECT id, email, name, role, locale FROM users
      WHERE active AND (CASE WHEN $1::uuid IS NOT NULL THEN id = $1 ELSE role = $2 AND ($3::uuid IS NULL OR org_id = $3) END)
      ORDER BY email`,
    [task.assignee_id, task.role, task.org_id],
  );
}

/** Whose tasks these are: assigned to the user, or of their role (and organisation) and held by nobody. */
const VISIBLE_TO_USER = `(t.assignee_id = $1 OR (t.assignee_id IS NULL AND t.role = $2 AND (t.org_id IS NULL OR t.org_id = $3)))`;

export interface TaskListFilter {
  status: 'open' | 'overdue' | 'done';
  today: string;
  limit: number;
  kind?: string;
  item?: number;
  projectId?: string;
  /** Part of a project code or title (case-insensitive, taken literally). */
  search?: string;
  /** Keyset: the (due date, id) of the last task of the previous page. */
  after?: { dueDate: string; id: string };
}

export type TaskListRow = TaskRow & { project_code: string; project_title: string; project_item: number };

/** The user's tasks, by due date then id (a total order, so keyset pages have no gaps or repeats). */
export async function listTasksFor(db: Database, user: { userId: string; role: string; orgId: string | null }, filter: TaskListFilter) {
  const params: unknown[] = [user.userId, user.role, user.orgId];
  const where = [VISIBLE_TO_USER];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.status === 'done') where.push(`t.status <> 'open'`);
  else where.push(`t.status = 'open'`);
  if (filter.status === 'overdue') add((n) => `t.due_date < ${n}::date`, filter.today);
  if (filter.kind) add((n) => `t.kind = ${n}`, filter.kind);
  if (filter.item !== undefined) add((n) => `p.item = ${n}`, filter.item);
  if (filter.projectId) add((n) => `t.project_id = ${n}::uuid`, filter.projectId);
  if (filter.search) add((n) => `(p.code ILIKE ${n} OR p.title ILIKE ${n})`, `%${escapeLike(filter.search)}%`);
  if (filter.after) {
    params.push(filter.after.dueDate, filter.after.id);
    where.push(`(t.due_date, t.id) > ($${params.length - 1}::date, $${params.length}::uuid)`);
  }
  params.push(filter.limit);
  return db.query<TaskListRow>(
    `SELECT ${TASK_COLUMNS}, p.code AS project_code, p.title AS project_title, p.item AS project_item
       FROM tasks t JOIN projects p ON p.id = t.project_id
      WHERE ${where.join(' AND ')}
      ORDER BY t.due_date, t.id LIMIT $${params.length}`,
    params,
  );
}

/** My open tasks counted per kind, with how many are overdue and due today (the menu's badges). */
export async function countOpenTasksFor(db: Database, user: { userId: string; role: string; orgId: string | null }, today: string) {
  return db.query<{ kind: string; open: number; overdue: number; due_today: number }>(
    `SELECT t.kind, count(*)::int AS open, (count(*) FILTER (WHERE t.due_date < $4::date))::int AS overdue,
            (count(*) FILTER (WHERE t.due_date = $4::date))::int AS due_today
       FROM tasks t WHERE ${VISIBLE_TO_USER} AND t.status = 'open' GROUP BY t.kind ORDER BY t.kind`,
    [user.userId, user.role, user.orgId, today],
    'count-my-tasks',
  );
}

export interface ProjectTaskRow {
  id: string;
  kind: string;
  step: number | null;
  role: string;
  due_date: string;
  org_id: string | null;
  org_name: string | null;
  assignee_id: string | null;
  created_at: Date;
  /** Who holds it: the assignee, or every active user of its role (in its organisation when set), at most 20. */
  holders: { id: string; name: string; role: string; orgId: string | null; orgName: string | null }[];
  holder_count: number;
}

/** A project's open tasks with who holds each (no email addresses: names, roles and organisations). */
export async function listOpenTasksOfProject(db: Database, projectId: string) {
  return db.query<ProjectTaskRow>(
    `SELECT t.id, t.kind, t.step, t.role, to_char(t.due_date, 'YYYY-MM-DD') AS due_date, t.org_id, o.name AS org_name, t.assignee_id, t.created_at,
            coalesce(h.holders, '[]'::json) AS holders, coalesce(h.holder_count, 0)::int AS holder_count
       FROM tasks t
       LEFT JOIN organisations o ON o.id = t.org_id
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'role', c.role, 'orgId', c.org_id, 'orgName', c.org_name) ORDER BY c.name)
                  FILTER (WHERE c.rank <= 20) AS holders,
                count(*) AS holder_count
           FROM (SELECT u.id, u.name, u.role, u.org_id, uo.name AS org_name, row_number() OVER (ORDER BY u.name, u.id) AS rank
                   FROM users u LEFT JOIN organisations uo ON uo.id = u.org_id
                  WHERE u.active AND (CASE WHEN t.assignee_id IS NOT NULL THEN u.id = t.assignee_id
                                           ELSE u.role = t.role AND (t.org_id IS NULL OR u.org_id = t.org_id) END)) c
       ) h ON true
      WHERE t.project_id = $1 AND t.status = 'open'
      ORDER BY t.due_date, t.id`,
    [projectId],
    'list-project-open-tasks',
  );
}

/** `%` and `_` in a search are meant literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export async function assignTask(db: Database, taskId: string, userId: string): Promise<boolean> {
  const rows = await db.query(`UPDATE tasks SET assignee_id = $2 WHERE id = $1 AND status = 'open' RETURNING id`, [taskId, userId]);
  return rows.length === 1;
}

/** Issues a link for one task and one recipient; returns the token, of which only the hash is kept. */
export async function issueLink(db: Database, input: { taskId: string; userId: string; expiresAt: Date; now: Date }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `UPDATE task_links SET revoked_at = $3, revoked_reason = 'replaced by a newer link'
      WHERE task_id = $1 AND user_id = $2 AND used_at IS NULL AND revoked_at IS NULL`,
    [input.taskId, input.userId, input.now.toISOString()],
  );
  await db.query(`INSERT INTO task_links (token_hash, task_id, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`, [
    hashLinkToken(token),
    input.taskId,
    input.userId,
    input.expiresAt.toISOString(),
    input.now.toISOString(),
  ]);
  return token;
}

export interface LinkRow {
  token_hash: string;
  task_id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  user_name: string;
  user_email: string;
  user_role: string;
  user_org_id: string | null;
  user_locale: 'zh-CN' | 'en';
  user_active: boolean;
}

export async function findLink(db: Database, token: string): Promise<LinkRow | undefined> {
  return (
    await db.query<LinkRow>(
      `SELECT l.*, u.name AS user_name, u.email AS user_email, u.role AS user_role, u.org_id AS user_org_id, u.locale AS user_locale,
              u.active AS user_active
         FROM task_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = $1`,
      [hashLinkToken(token)],
    )
  )[0];
}

/** Marks a link used, once: of two racing POSTs only one gets true. */
export async function useLink(db: Database, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE task_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING token_hash`,
    [tokenHash, now.toISOString()],
  );
  return rows.length === 1;
}

export async function recordVisit(db: Database, visit: { tokenHash: string; method: string; userAgent: string | null; automated: boolean; outcome: string; at: Date }) {
  await db.query(`INSERT INTO link_visits (token_hash, method, user_agent, automated, outcome, at) VALUES ($1, $2, $3, $4, $5, $6)`, [
    visit.tokenHash,
    visit.method,
    visit.userAgent,
    visit.automated,
    visit.outcome,
    visit.at.toISOString(),
  ]);
}

/** What a task's or notice's email says about its project, with the reason given at event `seq`. */
export interface ProjectFacts {
  code: string;
  title: string;
  item: number;
  requested_fen: number;
  org_id: string;
  org_name: string;
  last_reason: string | null;
}

export async function findProjectFacts(db: Database, projectId: string, seq: number): Promise<ProjectFacts | undefined> {
  const rows = await db.query<ProjectFacts>(
    `SELECT p.code, p.title, p.item, p.requested_fen, p.org_id, o.name AS org_name,
            (SELECT reason FROM project_events e WHERE e.project_id = p.id AND e.seq = $2) AS last_reason
       FROM projects p JOIN organisations o ON o.id = p.org_id WHERE p.id = $1`,
    [projectId, seq],
  );
  return rows[0];
}

/** The kinds of the given tasks (each kind once). */
export async function kindsOfTasks(db: Database, taskIds: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ kind: string }>(`SELECT DISTINCT kind FROM tasks WHERE id = ANY($1::uuid[])`, [taskIds]);
  return rows.map((row) => row.kind);
}

/** The committed event an effect names: its type, or undefined when the project has no such event. */
export async function findProjectEvent(db: Database, projectId: string, seq: number): Promise<{ event_type: string; actor_id: string | null } | undefined> {
  return (await db.query<{ event_type: string; actor_id: string | null }>(`SELECT event_type, actor_id FROM project_events WHERE project_id = $1 AND seq = $2`, [projectId, seq]))[0];
}
