import type { Database } from '../../store/database.ts';
import { findUserName } from '../../store/directory.store.ts';
import { findLink, findTask, type LinkRow, type TaskRow } from '../../store/tasks.store.ts';

/** Why a link cannot act; the page words it (Chinese first, Beijing time). */
export type LinkGone =
  | { kind: 'invalid' }
  | { kind: 'used'; at: Date; by: string }
  | { kind: 'closed'; at: Date | null; event: string | null; by: string }
  | { kind: 'revoked'; at: Date; reason: string | null }
  | { kind: 'expired'; at: Date }
  | { kind: 'inactive' }
  | { kind: 'just-used' };

export const goneStatusOf = (gone: LinkGone) => (gone.kind === 'invalid' ? 404 : 410);

export type LinkState = { ok: true; link: LinkRow; task: TaskRow } | { ok: false; gone: LinkGone; link?: LinkRow };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether the link may still act, and if not, what happened, when and by whom. */
export async function readLinkState(db: Database, token: string, now: Date): Promise<LinkState> {
  const link = TOKEN.test(token) ? await findLink(db, token) : undefined;
  if (!link) return { ok: false, gone: { kind: 'invalid' } };
  const task = (await findTask(db, link.task_id))!;
  if (link.used_at) return { ok: false, link, gone: { kind: 'used', at: link.used_at, by: link.user_name } };
  if (task.status !== 'open') {
    const by = task.completed_by ? ((await findUserName(db, task.completed_by)) ?? '—') : '—';
    return { ok: false, link, gone: { kind: 'closed', at: task.closed_at, event: task.completed_event, by } };
  }
  if (link.revoked_at) return { ok: false, link, gone: { kind: 'revoked', at: link.revoked_at, reason: link.revoked_reason } };
  if (new Date(link.expires_at).getTime() <= now.getTime()) return { ok: false, link, gone: { kind: 'expired', at: link.expires_at } };
  if (!link.user_active) return { ok: false, link, gone: { kind: 'inactive' } };
  return { ok: true, link, task };
}
