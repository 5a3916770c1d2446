import { deliverOnce } from '../../mail/deliver-once.ts';
import { renderNoticeMail } from '../../mail/task.template.ts';
import type { JobPayload } from '../../jobs/job-contract.ts';
import type { NOTIFY_JOB } from '../../jobs/notify.job.ts';
import { findRecipients } from '../../store/recipients.store.ts';
import type { EffectDeps } from './effect-deps.ts';
import { factsOf } from './project-facts.ts';
import { countOrThrow } from './send-task-links.ts';

/** Emails a notice to the roles named, once per recipient (delivery key); the person who acted is not told what they just did. */
export async function sendNotice(deps: Pick<EffectDeps, 'db' | 'mailer' | 'publicUrl' | 'now'>, payload: JobPayload<typeof NOTIFY_JOB>): Promise<number> {
  const facts = await factsOf(deps.db, payload.projectId, payload.seq);
  const outcomes = [];
  for (const recipient of (await findRecipients(deps.db, payload.to, facts.org_id)).filter((r) => r.id !== payload.actorId)) {
    outcomes.push(
      await deliverOnce(deps.db, deps.mailer, deps.now, {
        key: `notify.${payload.projectId}.${payload.seq}.${payload.template}.${recipient.id}`,
        userId: recipient.id,
        email: recipient.email,
        compose: () =>
          renderNoticeMail({
            locale: recipient.locale,
            recipientName: recipient.name,
            template: payload.template,
            projectCode: facts.code,
            projectTitle: facts.title,
            reason: facts.last_reason,
            link: `${deps.publicUrl}/api/v1/projects/${payload.projectId}`,
          }),
      }),
    );
  }
  return countOrThrow(outcomes, 'notice');
}
