import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { z } from 'zod';
import type { ReminderPolicies, ReminderPolicy } from '../config/reminder-policies.ts';
import { LINK_DECISIONS, type TaskRules } from '../config/task-rules.ts';
import { addDays, businessDateOf } from '../src/domain/business-date.ts';
import { planReminders } from '../src/domain/reminder-plan.ts';
import { deliverOnce, type DeliveryOutcome } from '../src/mail/deliver-once.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { renderNoticeMail, renderTaskMail } from '../src/mail/task.template.ts';
import { NOTICE_TEMPLATES } from '../src/domain/vocabulary.ts';
import type { Database } from '../src/store/database.ts';
import { findRecipients } from '../src/store/recipients.store.ts';
import { planDeadlines } from '../src/store/schedule-planning.store.ts';
import { cancelDeadlines } from '../src/store/schedules.store.ts';
import { closeTasks, findTask, issueLink, openTask, taskCandidates, type TaskRow } from '../src/store/tasks.store.ts';
import { enqueueReminders } from './reminder-jobs.ts';

export const TASK_TOPICS = ['task.open', 'task.close', 'task.delegated', 'notify'] as const;

const base = { projectId: z.uuid(), seq: z.int().positive(), eventType: z.string(), actorId: z.uuid().nullable() };
const schemas = {
  'task.open': z.object({ ...base, task: z.string().min(1), role: z.string().min(1), step: z.int().min(0).optional() }),
  'task.close': z.object(base),
  notify: z.object({ ...base, template: z.enum(NOTICE_TEMPLATES), to: z.array(z.string()).min(1) }),
  'task.delegated': z.object({ ...base, taskId: z.uuid() }),
};

export interface TaskDeps {
  db: Database;
  mailer: Mailer;
  reminders: Queue;
  publicUrl: string;
  taskRules: TaskRules;
  policies: ReminderPolicies;
  now: () => Date;
}

interface ProjectFacts {
  code: string;
  title: string;
  item: number;
  requested_fen: number;
  org_id: string;
  org_name: string;
  last_reason: string | null;
}

async function projectFacts(db: Database, projectId: string, seq: number): Promise<ProjectFacts> {
  const rows = await db.query<ProjectFacts>(
    `SELECT p.code, p.title, p.item, p.requested_fen, p.org_id, o.name AS org_name,
            (SELECT reason FROM project_events e WHERE e.project_id = p.id AND e.seq = $2) AS last_reason
       FROM projects p JOIN organisations o ON o.id = p.org_id WHERE p.id = $1`,
    [projectId, seq],
  );
  if (!rows[0]) throw new UnrecoverableError(`project ${projectId} does not exist`);
  return rows[0];
}

/** Every recipient was tried; a failure makes the job retry (sent ones are skipped by their keys). */
function countOrThrow(outcomes: DeliveryOutcome[], what: string): number {
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [outcome.error] : []));
  if (failures.length > 0) throw new Error(`${what} failed: ${failures.join('; ')}`);
  return outcomes.filter((outcome) => outcome.status === 'sent').length;
}

function parse<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`bad payload: ${parsed.error.message}`);
  return parsed.data;
}

/** Task reminders: to the task's role before and on the due date, then escalated to the supervisor. */
function taskPolicy(policies: ReminderPolicies, role: string): ReminderPolicy {
  return { ...policies.policies.correction, audience: [role] as ReminderPolicy['audience'], beforeDays: [1] };
}

/** Opens a task for the step's assignees and emails each candidate a link bound to the task and to them. */
async function openAndNotify(deps: TaskDeps, data: z.infer<(typeof schemas)['task.open']>): Promise<number> {
  const now = deps.now();
  const facts = await projectFacts(deps.db, data.projectId, data.seq);
  const dueDate = addDays(businessDateOf(now), deps.taskRules.dueDays[data.task] ?? deps.taskRules.defaultDueDays);
  const task = await openTask(deps.db, {
    projectId: data.projectId,
    seq: data.seq,
    kind: data.task,
    role: data.role,
    step: data.step ?? null,
    orgId: data.role === 'applicant' ? facts.org_id : null,
    dueDate,
    now,
  });
  if (task.status !== 'open') return 0;
  const change = await planDeadlines(deps.db, [{ projectId: data.projectId, seq: data.seq, deadline: `task.${data.task}`, dueDate }], now, (_entry, scheduleId, generation) =>
    planReminders(scheduleId, generation, dueDate, taskPolicy(deps.policies, data.role), deps.policies.sendHour),
  );
  await enqueueReminders(deps.reminders, change, now);
  return sendTaskLinks(deps, task, facts);
}

export async function sendTaskLinks(deps: TaskDeps, task: TaskRow, facts: ProjectFacts): Promise<number> {
  const now = deps.now();
  const outcomes = [];
  for (const candidate of await taskCandidates(deps.db, task)) {
    outcomes.push(
      await deliverOnce(deps.db, deps.mailer, deps.now, {
        key: `task.${task.id}.${candidate.id}`,
        userId: candidate.id,
        email: candidate.email,
        // The link is issued only for a message that really goes out; only its hash is kept.
        compose: async () => {
          const expiresAt = new Date(now.getTime() + deps.taskRules.linkValidDays * 86_400_000);
          const token = await issueLink(deps.db, { taskId: task.id, userId: candidate.id, expiresAt, now });
          return renderTaskMail({
            locale: candidate.locale,
            recipientName: candidate.name,
            kind: task.kind,
            projectCode: facts.code,
            projectTitle: facts.title,
            item: facts.item,
            applicant: facts.org_name,
            amountFen: facts.requested_fen,
            dueDate: task.due_date,
            link: `${deps.publicUrl}/t/${token}`,
            canDecideByLink: Boolean(LINK_DECISIONS[task.kind]),
          });
        },
      }),
    );
  }
  return countOrThrow(outcomes, 'task email');
}

async function notify(deps: TaskDeps, data: z.infer<(typeof schemas)['notify']>): Promise<number> {
  const facts = await projectFacts(deps.db, data.projectId, data.seq);
  const outcomes = [];
  // The person who acted is not told what they just did.
  for (const recipient of (await findRecipients(deps.db, data.to, facts.org_id)).filter((r) => r.id !== data.actorId)) {
    outcomes.push(
      await deliverOnce(deps.db, deps.mailer, deps.now, {
        key: `notify.${data.projectId}.${data.seq}.${data.template}.${recipient.id}`,
        userId: recipient.id,
        email: recipient.email,
        compose: () =>
          renderNoticeMail({
            locale: recipient.locale,
            recipientName: recipient.name,
            template: data.template,
            projectCode: facts.code,
            projectTitle: facts.title,
            reason: facts.last_reason,
            link: `${deps.publicUrl}/api/v1/projects/${data.projectId}`,
          }),
      }),
    );
  }
  return countOrThrow(outcomes, 'notice');
}

/** Consumes task.open, task.close and notify effects of committed transitions. */
export async function processTaskEffect(deps: TaskDeps, job: Pick<Job, 'name' | 'data'>): Promise<unknown> {
  switch (job.name) {
    case 'task.open':
      return openAndNotify(deps, parse(schemas['task.open'], job.data));
    case 'task.close': {
      const data = parse(schemas['task.close'], job.data);
      const now = deps.now();
      const closed = await closeTasks(deps.db, { projectId: data.projectId, seq: data.seq, completedBy: data.actorId, completedEvent: data.eventType, now });
      const kinds = await deps.db.query<{ kind: string }>(`SELECT DISTINCT kind FROM tasks WHERE id = ANY($1::uuid[])`, [closed]);
      if (kinds.length > 0) {
        const change = await cancelDeadlines(deps.db, { projectId: data.projectId, seq: data.seq, deadlines: kinds.map((k) => `task.${k.kind}`), reason: 'the task was closed', now });
        await enqueueReminders(deps.reminders, change, now);
      }
      return closed.length;
    }
    case 'notify':
      return notify(deps, parse(schemas.notify, job.data));
    case 'task.delegated': {
      // The delegate gets a link of their own; the earlier links were revoked when it was handed over.
      const data = parse(schemas['task.delegated'], job.data);
      const task = await findTask(deps.db, data.taskId);
      if (!task || task.status !== 'open') return 0;
      return sendTaskLinks(deps, task, await projectFacts(deps.db, data.projectId, data.seq));
    }
    default:
      throw new UnrecoverableError(`no handler for ${job.name}`);
  }
}
