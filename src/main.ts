import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../config/env.schema.ts';
import { createProjectMachine } from '../machines/project.machine.ts';
import { runWorkers, type RunningWorkers } from '../workers/run-workers.ts';
import { workerRuntime } from '../workers/worker-runtime.ts';
import { checksQueue, effectsQueue, producerConnection, remindersQueue } from '../workers/queues.ts';
import { createMailer } from './mail/mailer.ts';
import type { EngineDeps } from './engine/engine-deps.ts';
import { createApp } from './http/app.ts';
import { assertRedisServerInstalled, MissingDependencyError } from './infra/embedded-redis.ts';
import { createLogger } from './infra/logger.ts';
import { redactUrls } from './infra/redact-url.ts';
import { resolveRedis } from './infra/redis-url.ts';
import { openDatabase } from './store/open-database.ts';
import { DatabaseLockedError } from './store/pglite-database.ts';
import { serveCliCommands } from './cli/remote/serve-cli.ts';
import { describeFirstAdmin, prepareFirstAdmin } from './usecases/auth/first-admin.usecase.ts';

/** Composition root: config is parsed once here and handed down. `--api-only` leaves the workers to `start:worker`. */
async function main(): Promise<void> {
  const apiOnly = process.argv.includes('--api-only');
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel, 'fundflow');
  // A missing redis-server is said before the (slow, first-time) database migration, not after.
  if (!config.redisUrl) assertRedisServerInstalled();
  const db = await openDatabase(config);
  const redis = await resolveRedis(config);
  const probeClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  probeClient.on('error', () => {});
  await probeClient.connect().catch(() => log.warn('redis is not answering yet; /readyz reports it'));

  const producer = producerConnection(redis.url);
  producer.on('error', () => {});
  const observedQueues = [effectsQueue(producer), remindersQueue(producer), checksQueue(producer)];
  const engine: EngineDeps = {
    db,
    machine: createProjectMachine(config.rules),
    rules: config.rules,
    countyCode: config.countyCode,
    now: () => new Date(),
  };
  const adminSocket = await serveCliCommands({ config, db, deps: engine }, log);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db });
  const { app } = createApp({
    engine,
    mailer,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionAbsoluteHours: config.sessionAbsoluteHours,
    publicUrl: config.publicUrl,
    bodyLimit: config.bodyLimit,
    tokenCacheSeconds: config.tokenCacheSeconds,
    probes: [{ name: 'redis', check: async () => void (await probeClient.ping()) }],
    logError: (error) => log.error({ err: error }, 'request failed'),
    devPages: config.env !== 'production',
    devMailRemote: config.devMailRemote,
    metricsToken: config.metricsToken,
    metricsCacheSeconds: config.metricsCacheSeconds,
    linkSecret: config.linkSecret,
    queues: observedQueues,
    attachmentMaxBytes: config.attachmentMaxBytes,
  });
  const server = app.listen(config.port, config.host, () => {
    log.info({ port: config.port, database: db.kind, redis: redactUrls(redis.url), host: config.host, publicUrl: config.publicUrl }, 'fundflow is listening');
  });
  const firstAdmin = describeFirstAdmin(await prepareFirstAdmin(db, { adminEmail: config.adminEmail, publicUrl: config.publicUrl, now: new Date() }));
  if (firstAdmin) console.log(firstAdmin);
  const workers: RunningWorkers | undefined = apiOnly ? undefined : await runWorkers(workerRuntime(config, { db, redisUrl: redis.url, log, mailer }));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive sockets would hold the drain open until the client drops them.
    server.closeIdleConnections();
    await closed;
    await adminSocket?.close();
    await workers?.stop();
    mailer.close();
    probeClient.disconnect();
    await Promise.all(observedQueues.map((queue) => queue.close()));
    producer.disconnect();
    await db.close();
    await redis.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.problems.join('\n'));
  else if (error instanceof MissingDependencyError || error instanceof DatabaseLockedError) console.error(`fundflow: ${error.message}`);
  else console.error('fundflow: failed to start:', error);
  process.exit(1);
});
