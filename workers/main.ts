import { ConfigError, loadConfig } from '../config/env.schema.ts';
import { MissingDependencyError } from '../src/infra/embedded-redis.ts';
import { createLogger } from '../src/infra/logger.ts';
import { resolveRedis } from '../src/infra/redis-url.ts';
import { openDatabase } from '../src/usecases/system/open-database.ts';
import { createMailer } from '../src/mail/mailer.ts';
import { runWorkers, WORKER_NAMES, type WorkerName } from './run-workers.ts';
import { workerRuntime } from './worker-runtime.ts';

/** `npm run start:worker -- [name ...]`: the named workers (all when none is named), apart from the API. */
async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !(WORKER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new ConfigError([`unknown worker ${unknown.join(', ')}; known: ${WORKER_NAMES.join(', ')}`]);
  const config = loadConfig(process.env);
  if (!config.databaseUrl) {
    throw new ConfigError(['config: workers run apart from the API only on PostgreSQL: set DATABASE_URL (the embedded database belongs to `npm start`)']);
  }
  const log = createLogger(config.logLevel, 'fundflow-worker');
  const db = await openDatabase(config);
  const redis = await resolveRedis(config);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db });
  const workers = await runWorkers({
    ...workerRuntime(config, { db, redisUrl: redis.url, log, mailer }),
    names: requested.length ? (requested as WorkerName[]) : WORKER_NAMES,
  });
  const shutdown = async () => {
    log.info('draining workers');
    await workers.stop();
    mailer.close();
    await db.close();
    await redis.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.problems.join('\n'));
  else if (error instanceof MissingDependencyError) console.error(`fundflow-worker: ${error.message}`);
  else console.error('fundflow-worker: failed to start:', error);
  process.exit(1);
});
