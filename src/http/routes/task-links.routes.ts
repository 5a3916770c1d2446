import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { decideByLink } from '../../usecases/tasks/decide-by-link.ts';
import { showTaskLink } from '../../usecases/tasks/show-task-link.ts';
import { goneStatusOf } from '../../usecases/tasks/task-link-state.ts';
import { hashToken } from '../../usecases/tasks/token-hash.ts';
import { refusalText, renderDonePage, renderGonePage, renderProblemPage, renderTaskPage } from '../pages/task-link.page.ts';

const SCANNER = /(mimecast|safelinks|safe-links|proofpoint|barracuda|urldefense|bot\b|crawler|spider|preview|scanner|curl|wget|python-requests|go-http-client|headless)/i;
const formSchema = z.object({
  decision: z.enum(['approve', 'reject', 'return']),
  comment: z.string().max(4000).optional(),
  nonce: z.string().min(1).max(200),
  // Item 13's last step: the 会议纪要 (checked by the event schema and the machine's guard, not here).
  decisionBody: z.string().max(50).optional(),
  decisionNumber: z.string().max(200).optional(),
  decisionDate: z.string().max(20).optional(),
});

/** The decision reference of the form, when its number was filled in. */
function decisionReferenceOf(form: z.infer<typeof formSchema>) {
  const number = form.decisionNumber?.trim();
  return number ? { body: form.decisionBody, number, date: form.decisionDate } : undefined;
}

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

/** The nonce binds the form to this token and this browser's cookie: neither works with another link. */
function nonceFor(secret: string, tokenHash: string, cookie: string): string {
  return createHmac('sha256', secret).update(`${tokenHash}.${cookie}`).digest('base64url');
}

function sameNonce(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Email links: GET shows the task and a form and never changes anything; only the form's POST acts, once. */
export function taskLinksRouter(deps: EngineDeps, options: { secret: string; secureCookies: boolean; limitPerMinute?: number }): Router {
  const router = Router();
  router.use('/t', rateLimit({ windowMs: 60_000, limit: options.limitPerMinute ?? 60, standardHeaders: 'draft-8', legacyHeaders: false }));

  const show = async (req: Request, res: Response) => {
    const token = String(req.params.token);
    const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
    const shown = await showTaskLink(deps, { token, method, userAgent: req.get('user-agent') ?? null, automated: looksAutomated(req) });
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    if (shown.kind === 'gone') return void res.status(goneStatusOf(shown.gone)).type('html').send(renderGonePage(shown.locale, shown.gone));
    const cookie = readCookie(req, cookieName(shown.tokenHash)) ?? randomBytes(18).toString('base64url');
    res.cookie(cookieName(shown.tokenHash), cookie, { httpOnly: true, sameSite: 'strict', secure: options.secureCookies, path: '/t/', maxAge: 86_400_000 });
    if (!shown.page) return void res.status(200).end();
    res.type('html').send(renderTaskPage({ ...shown.page, nonce: nonceFor(options.secret, shown.tokenHash, cookie) }));
  };
  router.get('/t/:token', show);
  router.head('/t/:token', show);

  router.post('/t/:token', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const token = String(req.params.token);
    const tokenHash = hashToken(token);
    res.set('Cache-Control', 'no-store');
    const cookie = readCookie(req, cookieName(tokenHash));
    const form = formSchema.safeParse(req.body);
    const genuine = cookie !== undefined && form.success && sameNonce(form.data.nonce, nonceFor(options.secret, tokenHash, cookie));
    const outcome = await decideByLink(deps, {
      token,
      form: genuine ? { decision: form.data.decision, comment: form.data.comment, decisionReference: decisionReferenceOf(form.data) } : undefined,
      userAgent: req.get('user-agent') ?? null,
    });
    switch (outcome.kind) {
      case 'gone':
        return void res.status(goneStatusOf(outcome.gone)).type('html').send(renderGonePage(outcome.locale, outcome.gone));
      case 'refused-form':
        return void res.status(403).type('html').send(renderProblemPage(outcome.locale, { zh: '表单已失效，请从邮件中的链接重新打开。', en: 'The form has expired; open the link from the email again.' }));
      case 'invalid':
        return void res.status(400).type('html').send(renderTaskPage({ ...outcome.page, nonce: form.success ? form.data.nonce : '', error: outcome.message }));
      case 'refused':
        return void res.status(outcome.status).type('html').send(renderProblemPage(outcome.locale, refusalText(outcome.code, outcome.message)));
      case 'done':
        return void res.type('html').send(renderDonePage(outcome.locale, outcome));
    }
  });
  return router;
}
