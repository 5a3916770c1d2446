import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Every queue's keys live under this prefix; tests give each run its own. */
export const DEFAULT_QUEUE_PREFIX = 'fundflow';
export const EFFECTS_QUEUE = 'effects';
export const REMINDERS_QUEUE = 'reminders';
export const CHECKS_QUEUE = 'checks';

/** Workers block on Redis and must retry forever (maxRetriesPerRequest: null). */
export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Producers on the HTTP path fail fast instead of queueing commands while Redis is away. */
export function producerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 });
}

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, backoffMs: 5_000 };

/**
 * How long finished jobs stay in Redis, given to every Worker: a job's own options are copied into
 * its hash, and this would cost each planned reminder some 60 bytes there. (A failed reminder is
 * also a row with its reason and an alert, so Redis need not keep it for the record.)
 */
export const JOB_RETENTION = {
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

function queue(name: string, connection: Redis, prefix: string, retry: RetryPolicy): Queue {
  return new Queue(name, {
    connection,
    prefix,
    defaultJobOptions: { attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs } },
  });
}

export const effectsQueue = (connection: Redis, prefix = DEFAULT_QUEUE_PREFIX, retry = DEFAULT_RETRY) =>
  queue(EFFECTS_QUEUE, connection, prefix, retry);
export const remindersQueue = (connection: Redis, prefix = DEFAULT_QUEUE_PREFIX, retry = DEFAULT_RETRY) =>
  queue(REMINDERS_QUEUE, connection, prefix, retry);
export const checksQueue = (connection: Redis, prefix = DEFAULT_QUEUE_PREFIX, retry = DEFAULT_RETRY) =>
  queue(CHECKS_QUEUE, connection, prefix, retry);
