import type { Logger } from 'pino';
import type { Database } from '../src/store/database.ts';
import { startOutboxRelay } from './outbox-relay.worker.ts';
import { effectsQueue, workerConnection } from './queues.ts';

export const WORKER_NAMES = ['relay'] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

export interface RunningWorkers {
  stop: () => Promise<void>;
}

/** Starts the named workers (all by default) over one database and one Redis. */
export function runWorkers(options: { db: Database; redisUrl: string; log: Logger; names?: readonly WorkerName[] }): RunningWorkers {
  const names = options.names ?? WORKER_NAMES;
  const stops: (() => Promise<void>)[] = [];
  if (names.includes('relay')) {
    const connection = workerConnection(options.redisUrl);
    connection.on('error', (error) => options.log.warn({ err: error }, 'redis connection error (relay)'));
    const queue = effectsQueue(connection);
    const relay = startOutboxRelay(options.db, queue, { onError: (error) => options.log.error({ err: error }, 'outbox relay failed; retrying') });
    stops.push(async () => {
      await relay.stop();
      await queue.close();
      connection.disconnect();
    });
  }
  options.log.info({ workers: names }, 'workers started');
  return { stop: async () => void (await Promise.all(stops.map((stop) => stop()))) };
}
