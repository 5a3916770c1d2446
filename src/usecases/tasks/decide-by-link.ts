import type { Role } from '../../../config/roles.ts';
import { AppError } from '../../engine/app-error.ts';
import { applyEvent } from '../../engine/apply-event.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { eventForDecision, isCandidate, type Decision } from '../../engine/task-decisions.ts';
import { recordLinkVisit, revokeTaskLinks, spendLink } from '../../store/task-links.store.ts';
import { hashLinkToken } from '../../store/tasks.store.ts';
import { loadTaskPage, type TaskPageModel } from './load-task-page.ts';
import { readLinkState, type LinkGone } from './task-link-state.ts';

type Locale = 'zh-CN' | 'en';

export type LinkDecisionOutcome =
  | { kind: 'gone'; gone: LinkGone; locale: Locale }
  | { kind: 'refused-form'; locale: Locale }
  | { kind: 'invalid'; locale: Locale; message: string; page: TaskPageModel }
  | { kind: 'refused'; status: 403 | 422; code: string; locale: Locale; message: string }
  | { kind: 'done'; locale: Locale; code: string; event: string; state: string };

/**
 * POST of an email link's form. `form` is undefined when the HTTP layer found the form not genuine
 * (no cookie, bad nonce). The link acts as its recipient, once.
 *
 * ONE transaction: spend the link (its row lock makes a second POST wait for this one), apply the
 * event through the engine's single statement, revoke the other candidates' links, record the
 * visit. The link is spent if and only if the event committed; a refusal rolls everything back and
 * the link stays usable. Locks, in order: task_links row of the token, projects row (the engine's
 * UPDATE, or FOR UPDATE on its retry), then the task's other task_links rows.
 */
export async function decideByLink(
  deps: EngineDeps,
  input: {
    token: string;
    form: { decision: Decision; comment?: string | undefined; decisionReference?: Record<string, unknown> | undefined } | undefined;
    userAgent: string | null;
  },
): Promise<LinkDecisionOutcome> {
  const now = deps.now();
  const tokenHash = hashLinkToken(input.token);
  const state = await readLinkState(deps.db, input.token, now);
  if (!state.ok) return { kind: 'gone', gone: state.gone, locale: state.link?.user_locale ?? 'zh-CN' };
  const { link, task } = state;
  const visit = (outcome: string, automated: boolean) =>
    ({ tokenHash, method: 'POST', userAgent: input.userAgent, automated, outcome, at: now }) as const;
  if (!input.form) {
    await recordLinkVisit(deps.db, visit('refused-form', true));
    return { kind: 'refused-form', locale: link.user_locale };
  }
  const actor = { userId: link.user_id, role: link.user_role as Role, orgId: link.user_org_id };
  let event;
  try {
    if (!isCandidate(task, actor)) throw new AppError('forbidden', 'the task is no longer yours');
    event = eventForDecision(task, input.form.decision, input.form.comment, input.form.decisionReference);
  } catch (error) {
    return { kind: 'invalid', locale: link.user_locale, message: (error as Error).message, page: await loadTaskPage(deps, link, task) };
  }
  const decided = event;
  try {
    const answer = await deps.db.transaction(async (tx) => {
      if (!(await spendLink(tx, tokenHash, now))) return undefined;
      const txDeps = { ...deps, db: tx };
      const applied = await applyEvent(txDeps, { projectId: task.project_id, actor, channel: 'email', type: decided.type, payload: decided.payload }, { inTransaction: true });
      await revokeTaskLinks(tx, { taskId: task.id, keepTokenHash: tokenHash, reason: 'another recipient completed the task', now });
      await recordLinkVisit(tx, visit(`acted-${decided.type}`, false));
      return applied;
    });
    if (!answer) return { kind: 'gone', gone: { kind: 'just-used' }, locale: link.user_locale };
    return { kind: 'done', locale: link.user_locale, code: answer.body.code, event: decided.type, state: answer.body.state };
  } catch (error) {
    // Refused: the transaction rolled back, so the link, the project and the visits are as they were.
    if (!(error instanceof AppError)) throw error;
    return { kind: 'refused', status: error.code === 'forbidden' ? 403 : 422, code: error.code, locale: link.user_locale, message: error.message };
  }
}
