import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { lifecycleRulesSchema, type LifecycleRules } from './lifecycle-rules.ts';

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(
      z
        .url({ protocol: new RegExp(`^(${protocols.join('|')})$`) })
        .optional(),
    )
    .optional();

const positiveIntFromString = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every setting read from the environment. Parsed once, in the composition roots. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: positiveIntFromString(10),
  DATABASE_CONNECT_TIMEOUT_MS: positiveIntFromString(5_000),
  DATABASE_QUERY_TIMEOUT_MS: positiveIntFromString(30_000),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  MAIL_FROM: z.string().default('fundflow <fundflow@localhost>'),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COUNTY_CODE: z.string().regex(/^[A-Z]{2,6}$/, 'two to six capital letters, e.g. YC').default('YC'),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'a size such as 256kb').default('256kb'),
  LEADERSHIP_THRESHOLD_FEN: z.coerce.number().int().min(0).optional(),
  LINK_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** Days an API token lives after it is issued; 0 = no expiry. */
  TOKEN_TTL_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** Serve /dev/mail to clients other than loopback (development only; the mailbox holds live links). */
  DEV_MAIL_REMOTE: z.enum(['true', 'false'], { message: 'true or false' }).default('false'),
  /** Bearer token /metrics asks for; unset, /metrics answers loopback clients only. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** Seconds the SQL aggregates of /metrics are kept between scrapes. */
  METRICS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  ADMIN_EMAIL: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value.toLowerCase()))
    .pipe(z.email().optional())
    .optional(),
  /** An outbox row relayed this many minutes ago and not yet applied by its consumer is relayed again. */
  EFFECT_REDELIVER_MINUTES: positiveIntFromString(10),
  /** A delivery claimed this many minutes ago and never recorded is marked failed, with a red alert. */
  DELIVERY_GIVE_UP_MINUTES: positiveIntFromString(60),
  /** A red alert when the oldest pending effect is older than this many minutes. */
  EFFECTS_BEHIND_ALERT_MINUTES: positiveIntFromString(30),
  /** The largest attached file, in bytes (issue 14). */
  ATTACHMENT_MAX_BYTES: positiveIntFromString(20 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** PostgreSQL: a request waits at most this long for a connection, then for a statement, before a 503. */
  databaseConnectTimeoutMs: number;
  databaseQueryTimeoutMs: number;
  redisUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  countyCode: string;
  bodyLimit: string;
  tokenCacheSeconds: number;
  tokenTtlDays: number;
  devMailRemote: boolean;
  metricsToken: string | undefined;
  metricsCacheSeconds: number;
  /** Signs email-link form nonces; random per start unless set (set it when several API processes serve links). */
  linkSecret: string;
  rules: LifecycleRules;
  /** A browser session ends after this long unused, and this long after sign-in whatever happens. */
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** The first administrator's address: on an empty database the start prints a sign-in link for it. */
  adminEmail: string | undefined;
  /** Bounds of the effects' durability (workers/run-workers.ts EffectBounds). */
  effects: { redeliverAfterMs: number; giveUpAfterMs: number; behindAlertMinutes: number };
  /** The largest attached file, in bytes. */
  attachmentMaxBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses the environment into the app's config; throws ConfigError with one line per bad setting. */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `config: ${name}=${JSON.stringify(source[name] ?? '')} is invalid: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const env = parsed.data;
  const rules = lifecycleRulesSchema.parse(
    env.LEADERSHIP_THRESHOLD_FEN === undefined ? {} : { leadershipThresholdFen: env.LEADERSHIP_THRESHOLD_FEN },
  );
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    databaseQueryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
    redisUrl: env.REDIS_URL,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    dataDir: path.resolve(env.DATA_DIR),
    logLevel: env.LOG_LEVEL,
    countyCode: env.COUNTY_CODE,
    bodyLimit: env.BODY_LIMIT,
    tokenCacheSeconds: env.TOKEN_CACHE_SECONDS,
    tokenTtlDays: env.TOKEN_TTL_DAYS,
    devMailRemote: env.DEV_MAIL_REMOTE === 'true',
    metricsToken: env.METRICS_TOKEN,
    metricsCacheSeconds: env.METRICS_CACHE_SECONDS,
    linkSecret: env.LINK_SECRET ?? randomBytes(32).toString('hex'),
    rules,
    sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: env.SESSION_ABSOLUTE_HOURS,
    adminEmail: env.ADMIN_EMAIL,
    effects: {
      redeliverAfterMs: env.EFFECT_REDELIVER_MINUTES * 60_000,
      giveUpAfterMs: env.DELIVERY_GIVE_UP_MINUTES * 60_000,
      behindAlertMinutes: env.EFFECTS_BEHIND_ALERT_MINUTES,
    },
    attachmentMaxBytes: env.ATTACHMENT_MAX_BYTES,
  };
}
