import { randomBytes } from 'node:crypto';
import express, { Router, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { AppError } from '../../engine/app-error.ts';
import { safeNextPath, SIGN_IN_CODE_PATTERN } from '../../domain/sign-in-rules.ts';
import { endSession } from '../../usecases/sessions/end-session.ts';
import { findSignInLink } from '../../usecases/sessions/find-sign-in-link.ts';
import { getUserProfile, type UserProfileRow } from '../../usecases/sessions/get-user-profile.ts';
import { listSessions } from '../../usecases/sessions/list-sessions.ts';
import { requestSignIn, signInWithCode, signInWithLink, type AuthDeps, type OpenedSession } from '../../usecases/auth/sign-in.usecase.ts';
import { requireUser } from '../auth.ts';
import { renderContinuePage, renderSignInGonePage, renderSignInProblemPage, renderSignInSentPage } from '../pages/sign-in.page.ts';
import { parseOrThrow } from '../problem.ts';
import { clearSessionCookie, readCookie, setSessionCookie, type SessionCookieSettings } from '../session-auth.ts';

export const signInRequestSchema = z.object({
  email: z.email().max(320),
  next: z.string().max(2000).optional(),
});

export const codeSignInSchema = z.object({
  email: z.email().max(320),
  code: z.string().regex(SIGN_IN_CODE_PATTERN, 'six digits'),
});

const sessionIdSchema = z.object({ id: z.uuid() });

export interface SignInLimits {
  /** Requests for a link, per client address, per 15 minutes. */
  requestsPerIp: number;
  /** Requests for a link, per email address, per 15 minutes. */
  requestsPerEmail: number;
  /** Code sign-in attempts, per client address and per email, per 15 minutes. */
  codeAttempts: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { requestsPerIp: 30, requestsPerEmail: 5, codeAttempts: 20 };

export interface AuthRouterOptions {
  deps: AuthDeps;
  cookies: SessionCookieSettings;
  /** The /api/v1 authentication (bearer or session cookie with CSRF). */
  authenticate: RequestHandler;
  limits?: Partial<SignInLimits>;
  /** A failed sign-in email is logged, never shown (the answer must not depend on it). */
  logError: (error: unknown) => void;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const NONCE_COOKIE = 'ff_sign_in';
const WINDOW_MS = 15 * 60_000;

function profileJson(row: UserProfileRow) {
  return { id: row.id, name: row.name, email: row.email, role: row.role, orgId: row.org_id, orgName: row.org_name, locale: row.locale };
}

/**
 * Sign-in by emailed link or code, and the sessions it opens: /api/v1/auth/* (JSON) and
 * /sign-in/<token> (a small server page: GET shows a button, only its POST signs in).
 */
export function authRouter(options: AuthRouterOptions): Router {
  const { deps, cookies } = options;
  const limits = { ...DEFAULT_SIGN_IN_LIMITS, ...options.limits };
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb' });

  const limiter = (limit: number, key: 'ip' | 'email', prefix: string) =>
    rateLimit({
      windowMs: WINDOW_MS,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => {
        const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
        return key === 'email' && email ? `${prefix}:email:${email}` : `${prefix}:ip:${ipKeyGenerator(req.ip ?? '')}`;
      },
      handler: (req, res, next) => {
        if (req.path.startsWith('/api/')) return next(new AppError('rate-limited', 'too many sign-in requests; try again in 15 minutes'));
        res.status(429).type('html').send(renderSignInProblemPage('zh-CN', 'rate', safeNextPath(req.body?.next)));
      },
    });
  const requestLimits = [limiter(limits.requestsPerIp, 'ip', 'request'), limiter(limits.requestsPerEmail, 'email', 'request')];
  const codeLimits = [limiter(limits.codeAttempts, 'ip', 'code'), limiter(limits.codeAttempts, 'email', 'code')];

  const startSignIn = async (input: z.infer<typeof signInRequestSchema>) => {
    const { sending } = await requestSignIn(deps, input);
    sending?.catch(options.logError);
  };

  const signedIn = (res: Response, session: OpenedSession) => {
    setSessionCookie(res, session.token, cookies);
    res.set('Cache-Control', 'no-store');
  };

  router.post('/api/v1/auth/sign-in', ...requestLimits, async (req, res) => {
    await startSignIn(parseOrThrow(signInRequestSchema, req.body));
    res.status(202).json({ sent: true });
  });

  // The no-script twin of the above, used by the form on the expired-link page.
  router.post('/sign-in', form, ...requestLimits, async (req, res) => {
    const parsed = signInRequestSchema.safeParse(req.body);
    if (parsed.success) await startSignIn(parsed.data);
    res.status(parsed.success ? 202 : 400).set('Cache-Control', 'no-store').type('html').send(
      parsed.success ? renderSignInSentPage('zh-CN') : renderSignInGonePage('zh-CN', { message: { zh: '请填写正确的电子邮箱。', en: 'Enter a valid email address.' }, next: safeNextPath(req.body?.next) }),
    );
  });

  router.get('/sign-in/:token', async (req, res) => {
    const token = String(req.params.token);
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    const challenge = TOKEN.test(token) ? await findSignInLink(deps, token) : undefined;
    const locale = challenge?.user_locale ?? 'zh-CN';
    const gone = !challenge
      ? { status: 404, zh: '登录链接无效。', en: 'This sign-in link is not valid.' }
      : challenge.used_at
        ? { status: 410, zh: '此登录链接已使用过，每个链接只能使用一次。', en: 'This sign-in link has been used already; each link works once.' }
        : new Date(challenge.expires_at).getTime() <= deps.now().getTime()
          ? { status: 410, zh: '此登录链接已过期（有效期 15 分钟）。', en: 'This sign-in link has expired (links work for 15 minutes).' }
          : !challenge.user_active
            ? { status: 410, zh: '该账号已停用。', en: 'This account is no longer active.' }
            : undefined;
    if (gone) return void res.status(gone.status).type('html').send(renderSignInGonePage(locale, { message: gone, next: challenge?.next_path ?? null }));
    // Double-submit nonce: a page of another site cannot read or set this cookie, so it cannot
    // make a browser POST this form and sign its user into someone else's account.
    const nonce = readCookie(req, NONCE_COOKIE) ?? randomBytes(18).toString('base64url');
    res.cookie(NONCE_COOKIE, nonce, { httpOnly: true, sameSite: 'strict', secure: cookies.secure, path: '/sign-in/', maxAge: WINDOW_MS });
    res.type('html').send(renderContinuePage(locale, { action: `/sign-in/${token}`, nonce }));
  });

  router.post('/sign-in/:token', form, async (req, res) => {
    const token = String(req.params.token);
    res.set('Cache-Control', 'no-store');
    const cookie = readCookie(req, NONCE_COOKIE);
    const nonce = typeof req.body?.nonce === 'string' ? req.body.nonce : '';
    if (!cookie || nonce !== cookie) return void res.status(403).type('html').send(renderSignInProblemPage('zh-CN', 'form', null));
    const session = TOKEN.test(token) ? await signInWithLink(deps, token, req.get('user-agent') ?? null) : undefined;
    if (!session) {
      const challenge = TOKEN.test(token) ? await findSignInLink(deps, token) : undefined;
      return void res
        .status(challenge ? 410 : 404)
        .type('html')
        .send(
          renderSignInGonePage(challenge?.user_locale ?? 'zh-CN', {
            message: challenge
              ? { zh: '此登录链接已使用过或已过期。', en: 'This sign-in link has been used or has expired.' }
              : { zh: '登录链接无效。', en: 'This sign-in link is not valid.' },
            next: challenge?.next_path ?? null,
          }),
        );
    }
    res.clearCookie(NONCE_COOKIE, { path: '/sign-in/' });
    signedIn(res, session);
    res.redirect(303, session.next ?? '/');
  });

  router.post('/api/v1/auth/sessions', ...codeLimits, async (req, res) => {
    const input = parseOrThrow(codeSignInSchema, req.body);
    const session = await signInWithCode(deps, input, req.get('user-agent') ?? null);
    if (!session) throw new AppError('unauthenticated', 'the code is wrong, used or expired; ask for a new one');
    const profile = await getUserProfile(deps, session.userId);
    if (!profile) throw new AppError('unauthenticated', 'the account is not active');
    signedIn(res, session);
    res.status(201).json({ user: profileJson(profile), csrfToken: session.csrfToken, next: session.next });
  });

  router.get('/api/v1/auth/me', options.authenticate, async (req, res) => {
    const user = requireUser(req);
    const profile = await getUserProfile(deps, user.userId);
    if (!profile) throw new AppError('unauthenticated', 'the account is not active');
    res.set('Cache-Control', 'no-store').json({ user: profileJson(profile), csrfToken: req.browserSession?.csrfToken ?? null });
  });

  router.post('/api/v1/auth/sign-out', options.authenticate, async (req, res) => {
    const user = requireUser(req);
    if (req.browserSession) await endSession(deps, { userId: user.userId, sessionId: req.browserSession.id, reason: 'signed out', now: deps.now() });
    clearSessionCookie(res, cookies);
    res.status(204).end();
  });

  router.get('/api/v1/auth/sessions', options.authenticate, async (req, res) => {
    const user = requireUser(req);
    const rows = await listSessions(deps, user.userId, deps.now(), cookies.idleMs);
    res.set('Cache-Control', 'no-store').json({
      sessions: rows.map((row) => ({
        id: row.id,
        createdAt: new Date(row.created_at).toISOString(),
        lastSeenAt: new Date(row.last_seen_at).toISOString(),
        userAgent: row.user_agent,
        current: row.id === req.browserSession?.id,
      })),
    });
  });

  router.delete('/api/v1/auth/sessions/:id', options.authenticate, async (req, res) => {
    const user = requireUser(req);
    const { id } = parseOrThrow(sessionIdSchema, req.params);
    if (!(await endSession(deps, { userId: user.userId, sessionId: id, reason: 'revoked', now: deps.now() }))) {
      throw new AppError('not-found', 'no such session of yours');
    }
    if (id === req.browserSession?.id) clearSessionCookie(res, cookies);
    res.status(204).end();
  });

  return router;
}
