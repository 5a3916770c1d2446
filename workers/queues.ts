import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Every queue's keys live under this prefix; tests give each run its own. */
export const DEFAULT_QUEUE_PREFIX = 'fundflow';
export const EFFECTS_QUEUE = 'effects';

/** Workers block on Redis and must retry forever (maxRetriesPerRequest: null). */
export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Producers on the HTTP path fail fast instead of queueing commands while Redis is away. */
export function producerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
}

export function effectsQueue(connection: Redis, prefix = DEFAULT_QUEUE_PREFIX): Queue {
  return new Queue(EFFECTS_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 7 * 86_400, count: 10_000 },
      removeOnFail: false,
    },
  });
}
