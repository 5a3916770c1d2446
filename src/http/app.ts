import { randomBytes } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { EngineDeps } from '../engine/engine-deps.ts';
import type { Queue } from 'bullmq';
import { AppError } from '../engine/app-error.ts';
import { bearerAuth, requireUser } from './auth.ts';
import { bullBoardRouter, registerQueueMetrics } from './queue-observability.ts';
import { registerPendingEffectsMetric } from '../usecases/effects/pending-effects.metric.ts';
import { createMetrics, metricsGuard, type Metrics } from './metrics.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { problemHandler, sendProblem } from './problem.ts';
import { healthRouter, databaseProbe, type ReadinessProbe } from './routes/health.routes.ts';
import { beneficiariesRouter } from './routes/beneficiaries.routes.ts';
import { disclosureRouter } from './routes/disclosure.routes.ts';
import { publicPageRouter } from './routes/public-page.routes.ts';
import { fundsRouter } from './routes/funds.routes.ts';
import { projectsRouter } from './routes/projects.routes.ts';
import { reportsRouter } from './routes/reports.routes.ts';
import { dashboardRouter } from './routes/dashboard.routes.ts';
import { scheduleRouter } from './routes/schedule.routes.ts';
import { taskLinksRouter } from './routes/task-links.routes.ts';
import { tasksRouter } from './routes/tasks.routes.ts';
import { devMailRouter } from './routes/dev-mail.routes.ts';
import { adminRouter } from './routes/admin.routes.ts';
import { rulesRouter } from './routes/rules.routes.ts';
import { attachmentsRouter } from './routes/attachments.routes.ts';
import { bodyHygiene, requestHygiene } from './request-hygiene.ts';
import { authRouter, type SignInLimits } from './routes/auth.routes.ts';
import { apiAuth, sessionAuth, type SessionCookieSettings } from './session-auth.ts';
import { localMailer, type Mailer } from '../mail/mailer.ts';
import { webAppRouter } from './web-app.ts';

export interface AppOptions {
  engine: EngineDeps;
  publicUrl: string;
  bodyLimit: string;
  tokenCacheSeconds: number;
  probes?: ReadinessProbe[];
  metrics?: Metrics;
  logError: (error: unknown) => void;
  /** Developer pages such as /dev/mail; never in production. */
  devPages?: boolean;
  /** Signs the email-link form nonces; shared by every API process. */
  linkSecret?: string;
  /** Queues to observe in /metrics and Bull Board (/admin/queues, admins only). */
  queues?: Queue[];
  /** DEV_MAIL_REMOTE: serve /dev/mail to clients other than loopback. */
  devMailRemote?: boolean;
  /** METRICS_TOKEN: /metrics asks for it as a bearer token; unset, it answers loopback clients only. */
  metricsToken?: string;
  /** METRICS_CACHE_SECONDS: how long /metrics keeps its SQL aggregates (0 when not given: every scrape counts afresh; main passes the setting, default 15). */
  metricsCacheSeconds?: number;
  /** The clock token lookups and their cache read (tests move it by hand). */
  authNow?: () => number;
  /** Sends sign-in emails (default: kept locally, listed at /dev/mail). */
  mailer?: Mailer;
  /** SESSION_IDLE_MINUTES (default 120) and SESSION_ABSOLUTE_HOURS (default 12). */
  sessionIdleMinutes?: number;
  sessionAbsoluteHours?: number;
  signInLimits?: Partial<SignInLimits>;
  /** ATTACHMENT_MAX_BYTES: the largest attached file (default 20 MB). */
  attachmentMaxBytes?: number;
}

export function createApp(options: AppOptions) {
  const metrics = options.metrics ?? createMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestHygiene());
  app.use(helmet());
  app.use(express.json({ limit: options.bodyLimit, type: ['application/json', 'application/*+json'] }));
  app.use(bodyHygiene());

  const sessionCookies: SessionCookieSettings = {
    idleMs: (options.sessionIdleMinutes ?? 120) * 60_000,
    absoluteMs: (options.sessionAbsoluteHours ?? 12) * 3_600_000,
    secure: options.publicUrl.startsWith('https:'),
  };
  const authenticate = apiAuth(bearerAuth(options.engine.db, options.tokenCacheSeconds, options.authNow), sessionAuth(options.engine.db, sessionCookies, options.engine.now));
  registerPendingEffectsMetric(metrics.registry, options.engine.db, options.engine.now, options.metricsCacheSeconds ?? 15);
  if (options.queues?.length) {
    registerQueueMetrics(metrics, options.engine.db, options.queues, { cacheSeconds: options.metricsCacheSeconds ?? 0 });
    app.use(
      '/admin/queues',
      helmet({ contentSecurityPolicy: false }),
      // A bearer token, or an admin's browser session (the 人员与单位 page links here).
      authenticate,
      (req, _res, next) => {
        if (requireUser(req).role !== 'admin') throw new AppError('forbidden', 'the queue board is for admins');
        next();
      },
      bullBoardRouter(options.queues, '/admin/queues'),
    );
  }
  app.use(taskLinksRouter(options.engine, { secret: options.linkSecret ?? randomBytes(32).toString('hex'), secureCookies: options.publicUrl.startsWith('https:') }));
  app.use('/metrics', metricsGuard(options.metricsToken));
  app.use(healthRouter([databaseProbe(options.engine.db), ...(options.probes ?? [])], metrics));
  const openApi = buildOpenApiDocument(options.publicUrl);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  // Swagger UI needs inline scripts and styles, so its page gets a looser CSP than the API.
  app.use('/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(openApi));

  app.use('/api/v1', disclosureRouter(options.engine));
  app.use(publicPageRouter(options.engine, options.publicUrl));
  app.use(
    authRouter({
      deps: { db: options.engine.db, mailer: options.mailer ?? localMailer(options.engine.db), now: options.engine.now, publicUrl: options.publicUrl, session: sessionCookies },
      cookies: sessionCookies,
      authenticate,
      ...(options.signInLimits ? { limits: options.signInLimits } : {}),
      logError: options.logError,
    }),
  );
  app.use(
    '/api/v1',
    authenticate,
    adminRouter(options.engine.db, { mailer: options.mailer ?? localMailer(options.engine.db), now: options.engine.now, publicUrl: options.publicUrl }),
    projectsRouter(options.engine, metrics),
    fundsRouter(options.engine),
    beneficiariesRouter(options.engine),
    scheduleRouter(options.engine),
    reportsRouter(options.engine),
    dashboardRouter(options.engine),
    tasksRouter(options.engine),
    rulesRouter(options.engine),
    attachmentsRouter(options.engine, options.attachmentMaxBytes === undefined ? {} : { maxBytes: options.attachmentMaxBytes }),
  );
  if (options.devPages) app.use(devMailRouter(options.engine.db, { allowRemote: options.devMailRemote ?? false }));
  app.use(webAppRouter());
  app.use((req, res) => {
    sendProblem(res, 404, '未找到 / Not found', `no route for ${req.method} ${req.path}`, { code: 'not-found' });
  });
  app.use(problemHandler(options.logError));
  return { app, metrics };
}

