import { LINK_DECISIONS } from '../../../config/task-rules.ts';
import { deliverOnce, type DeliveryOutcome } from '../../mail/deliver-once.ts';
import { renderTaskMail } from '../../mail/task.template.ts';
import type { JobPayload } from '../../jobs/job-contract.ts';
import type { TASK_DELEGATED_JOB } from '../../jobs/task-delegated.job.ts';
import { findTask, issueLink, taskCandidates, type ProjectFacts, type TaskRow } from '../../store/tasks.store.ts';
import { factsOf } from './project-facts.ts';
import { reviewBasisOfProject } from '../tasks/review-basis.ts';
import type { EffectDeps } from './effect-deps.ts';

type LinkDeps = Pick<EffectDeps, 'db' | 'mailer' | 'publicUrl' | 'taskRules' | 'now' | 'rules'>;

/** Every recipient was tried; a failure makes the job retry (sent ones are skipped by their keys). */
export function countOrThrow(outcomes: DeliveryOutcome[], what: string): number {
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [outcome.error] : []));
  if (failures.length > 0) throw new Error(`${what} failed: ${failures.join('; ')}`);
  return outcomes.filter((outcome) => outcome.status === 'sent').length;
}

/** Emails each candidate of the task a link bound to the task and to them, once per candidate (delivery key). */
export async function sendTaskLinks(deps: LinkDeps, task: TaskRow, facts: ProjectFacts): Promise<number> {
  const now = deps.now();
  const outcomes = [];
  // The same basis for every candidate: flags, overlaps found so far, and for a disbursement the 批准金额 and what is left.
  const basis = await reviewBasisOfProject(deps.db, deps.rules, task.project_id, task.kind);
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
            basis,
          });
        },
      }),
    );
  }
  return countOrThrow(outcomes, 'task email');
}

/** A task handed to one person: the delegate gets a link of their own (the earlier links were revoked when it was handed over). */
export async function sendDelegateLink(deps: LinkDeps, payload: JobPayload<typeof TASK_DELEGATED_JOB>): Promise<number> {
  const task = await findTask(deps.db, payload.taskId);
  if (!task || task.status !== 'open') return 0;
  return sendTaskLinks(deps, task, await factsOf(deps.db, payload.projectId, payload.seq));
}
