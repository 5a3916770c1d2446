import type { EngineDeps } from '../../engine/engine-deps.ts';
import { recordLinkVisit } from '../../store/task-links.store.ts';
import { hashLinkToken } from '../../store/tasks.store.ts';
import { loadTaskPage, type TaskPageModel } from './load-task-page.ts';
import { readLinkState, type LinkGone } from './task-link-state.ts';

export type ShownLink =
  | { kind: 'gone'; gone: LinkGone; locale: 'zh-CN' | 'en' }
  | { kind: 'shown'; tokenHash: string; page: TaskPageModel | undefined };

/**
 * GET (or HEAD) of an email link: shows, never acts. A visit is recorded only for a link that
 * exists: an unknown or malformed token leaves no row (anyone can request /t/<anything>).
 */
export async function showTaskLink(
  deps: EngineDeps,
  input: { token: string; method: 'GET' | 'HEAD'; userAgent: string | null; automated: boolean },
): Promise<ShownLink> {
  const now = deps.now();
  const state = await readLinkState(deps.db, input.token, now);
  const tokenHash = hashLinkToken(input.token);
  if (state.ok || state.link) {
    const outcome = state.ok ? 'shown' : `gone-${state.gone.kind}`;
    await recordLinkVisit(deps.db, { tokenHash, method: input.method, userAgent: input.userAgent, automated: input.automated, outcome, at: now });
  }
  if (!state.ok) return { kind: 'gone', gone: state.gone, locale: state.link?.user_locale ?? 'zh-CN' };
  return { kind: 'shown', tokenHash, page: input.method === 'HEAD' ? undefined : await loadTaskPage(deps, state.link, state.task) };
}
