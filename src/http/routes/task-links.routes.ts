import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { storedContextOf } from '../../../machines/project.restore.ts';
import { AppError } from '../../engine/app-error.ts';
import { applyEvent } from '../../engine/apply-event.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { eventForDecision, isCandidate, type Decision } from '../../engine/task-decisions.ts';
import type { Database } from '../../store/database.ts';
import { findProject, listProjectEvents } from '../../store/projects.store.ts';
import { findLink, findTask, hashLinkToken, recordVisit, useLink, type LinkRow, type TaskRow } from '../../store/tasks.store.ts';
import { renderDonePage, renderGonePage, renderProblemPage, renderTaskPage } from '../pages/task-link.page.ts';

const SCANNER = /(mimecast|safelinks|safe-links|proofpoint|barracuda|urldefense|bot\b|crawler|spider|preview|scanner|curl|wget|python-requests|go-http-client|headless)/i;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const formSchema = z.object({
  decision: z.enum(['approve', 'reject', 'return']),
  comment: z.string().max(4000).optional(),
  nonce: z.string().min(1).max(200),
});

function looksAutomated(req: Request): boolean {
  return req.method === 'HEAD' || !req.get('cookie') || SCANNER.test(req.get('user-agent') ?? '');
}

const cookieName = (tokenHash: string) => `ff_link_${tokenHash.slice(0, 16)}`;

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function nonceFor(secret: string, tokenHash: string, cookie: string): string {
  return createHmac('sha256', secret).update(`${tokenHash}.${cookie}`).digest('base64url');
}

function sameNonce(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

type Usable = { ok: true; link: LinkRow; task: TaskRow } | { ok: false; status: number; zh: string; en: string };

async function userName(db: Database, id: string | null): Promise<string> {
  if (!id) return '—';
  return (await db.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [id]))[0]?.name ?? id;
}

/** Whether the link may still act, and if not, what happened, when and by whom. */
async function usability(db: Database, token: string, now: Date): Promise<Usable> {
  const link = TOKEN.test(token) ? await findLink(db, token) : undefined;
  if (!link) return { ok: false, status: 404, zh: '链接无效。', en: 'This link is not valid.' };
  const task = (await findTask(db, link.task_id))!;
  const fmt = (date: Date | null) => (date ? new Date(date).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');
  if (link.used_at) {
    return { ok: false, status: 410, zh: `此链接已于 ${fmt(link.used_at)} 由 ${link.user_name} 使用。`, en: `This link was used on ${fmt(link.used_at)} by ${link.user_name}.` };
  }
  if (task.status !== 'open') {
    const by = await userName(db, task.completed_by);
    return {
      ok: false,
      status: 410,
      zh: `该事项已于 ${fmt(task.closed_at)} 办结（${task.completed_event ?? '项目已变化'}，办理人：${by}）。`,
      en: `The task was closed on ${fmt(task.closed_at)} (${task.completed_event ?? 'the project moved on'}, by ${by}).`,
    };
  }
  if (link.revoked_at) {
    return { ok: false, status: 410, zh: `此链接已于 ${fmt(link.revoked_at)} 作废：${link.revoked_reason ?? ''}`, en: `This link was revoked on ${fmt(link.revoked_at)}: ${link.revoked_reason ?? ''}` };
  }
  if (new Date(link.expires_at).getTime() <= now.getTime()) {
    return { ok: false, status: 410, zh: `此链接已于 ${fmt(link.expires_at)} 过期。`, en: `This link expired on ${fmt(link.expires_at)}.` };
  }
  if (!link.user_active) return { ok: false, status: 410, zh: '此链接的收件人已停用。', en: 'The recipient of this link is no longer active.' };
  return { ok: true, link, task };
}

/** Email links: GET shows the task and a form and never changes anything; only the form's POST acts, once. */
export function taskLinksRouter(deps: EngineDeps, options: { secret: string; secureCookies: boolean; limitPerMinute?: number }): Router {
  const router = Router();
  router.use('/t', rateLimit({ windowMs: 60_000, limit: options.limitPerMinute ?? 60, standardHeaders: 'draft-8', legacyHeaders: false }));

  const show = async (req: Request, res: Response) => {
    const token = String(req.params.token);
    const now = deps.now();
    const state = await usability(deps.db, token, now);
    const tokenHash = hashLinkToken(token);
    await recordVisit(deps.db, { tokenHash, method: req.method, userAgent: req.get('user-agent') ?? null, automated: looksAutomated(req), outcome: state.ok ? 'shown' : `gone-${state.status}`, at: now });
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    const locale = state.ok ? state.link.user_locale : 'zh-CN';
    if (!state.ok) return void res.status(state.status).type('html').send(renderGonePage(locale, state));
    const cookie = readCookie(req, cookieName(tokenHash)) ?? randomBytes(18).toString('base64url');
    res.cookie(cookieName(tokenHash), cookie, { httpOnly: true, sameSite: 'strict', secure: options.secureCookies, path: '/t/', maxAge: 86_400_000 });
    if (req.method === 'HEAD') return void res.status(200).end();
    res.type('html').send(await taskPage(deps, state.link, state.task, nonceFor(options.secret, tokenHash, cookie)));
  };
  router.get('/t/:token', show);
  router.head('/t/:token', show);

  router.post('/t/:token', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const token = String(req.params.token);
    const now = deps.now();
    const tokenHash = hashLinkToken(token);
    res.set('Cache-Control', 'no-store');
    const state = await usability(deps.db, token, now);
    if (!state.ok) return void res.status(state.status).type('html').send(renderGonePage('zh-CN', state));
    const { link, task } = state;
    const cookie = readCookie(req, cookieName(tokenHash));
    const form = formSchema.safeParse(req.body);
    if (!cookie || !form.success || !sameNonce(form.data.nonce, nonceFor(options.secret, tokenHash, cookie))) {
      await recordVisit(deps.db, { tokenHash, method: 'POST', userAgent: req.get('user-agent') ?? null, automated: true, outcome: 'refused-form', at: now });
      return void res.status(403).type('html').send(renderProblemPage(link.user_locale, { zh: '表单已失效，请从邮件中的链接重新打开。', en: 'The form has expired; open the link from the email again.' }));
    }
    const actor = { userId: link.user_id, role: link.user_role as never, orgId: link.user_org_id };
    let event;
    try {
      if (!isCandidate(task, actor)) throw new AppError('forbidden', 'the task is no longer yours');
      event = eventForDecision(task, form.data.decision as Decision, form.data.comment);
    } catch (error) {
      const message = (error as Error).message;
      return void res.status(400).type('html').send(await taskPage(deps, link, task, form.data.nonce, message));
    }
    if (!(await useLink(deps.db, tokenHash, now))) {
      return void res.status(410).type('html').send(renderGonePage(link.user_locale, { zh: '此链接刚刚已被使用。', en: 'This link was just used.' }));
    }
    try {
      const answer = await applyEvent(deps, { projectId: task.project_id, actor, channel: 'email', type: event.type, payload: event.payload });
      await deps.db.query(
        `UPDATE task_links SET revoked_at = $2, revoked_reason = 'another recipient completed the task' WHERE task_id = $1 AND token_hash <> $3 AND used_at IS NULL AND revoked_at IS NULL`,
        [task.id, now.toISOString(), tokenHash],
      );
      await recordVisit(deps.db, { tokenHash, method: 'POST', userAgent: req.get('user-agent') ?? null, automated: false, outcome: `acted-${event.type}`, at: now });
      res.type('html').send(renderDonePage(link.user_locale, { code: answer.body.code, event: event.type, state: answer.body.state }));
    } catch (error) {
      // Refused by the engine: the link was not spent.
      await deps.db.query(`UPDATE task_links SET used_at = NULL WHERE token_hash = $1`, [tokenHash]);
      if (!(error instanceof AppError)) throw error;
      res.status(error.code === 'forbidden' ? 403 : 422).type('html').send(renderProblemPage(link.user_locale, { zh: error.message, en: error.message }));
    }
  });
  return router;
}

async function taskPage(deps: EngineDeps, link: LinkRow, task: TaskRow, nonce: string, error?: string): Promise<string> {
  const project = (await findProject(deps.db, task.project_id))!;
  const context = storedContextOf(project);
  const org = (await deps.db.query<{ name: string }>('SELECT name FROM organisations WHERE id = $1', [project.org_id]))[0]?.name ?? '';
  const events = await listProjectEvents(deps.db, project.id);
  return renderTaskPage({
    locale: link.user_locale,
    recipientName: link.user_name,
    task: { kind: task.kind, dueDate: task.due_date },
    project: {
      code: project.code,
      title: project.title,
      item: project.item,
      applicant: org,
      requestedFen: project.requested_fen,
      periodStart: context.proposal.periodStart,
      periodEnd: context.proposal.periodEnd,
      state: project.state,
      targets: context.proposal.targets,
    },
    history: events.map((e) => ({ at: new Date(e.occurred_at).toISOString().slice(0, 16).replace('T', ' '), type: e.event_type, actor: e.actor_name, channel: e.channel, reason: e.reason })),
    nonce,
    ...(error ? { error } : {}),
  });
}
