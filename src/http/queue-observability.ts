import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router } from 'express';
import { Gauge } from 'prom-client';
import type { Database } from '../usecases/system/open-database.ts';
import { readDeliveryFacts } from '../usecases/system/read-delivery-facts.ts';
import type { Metrics } from './metrics.ts';

/**
 * Queue depths, reminders and deliveries by status, and reminder lag, read at scrape time from
 * Redis and the database, so the figures are right whichever process runs the workers.
 */
export function registerQueueMetrics(
  metrics: Metrics,
  db: Database,
  queues: Queue[],
  options: { cacheSeconds?: number; now?: () => number } = {},
): void {
  const registers = [metrics.registry];
  // The SQL aggregates are kept for cacheSeconds, so a scraper (or anyone) cannot make the database count per request.
  const cached = cacheFor(options.cacheSeconds ?? 15, options.now ?? Date.now);
  new Gauge({
    name: 'fundflow_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      // A status that disappeared must read 0, not its last value.
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed').catch(() => ({}) as Record<string, number>);
        for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
      }
    },
  });
  new Gauge({
    name: 'fundflow_reminders',
    help: 'Planned reminders by status',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      // A status that disappeared must read 0, not its last value.
      this.reset();
      const rows = await cached('reminders', () => readDeliveryFacts.reminders({ db }));
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'fundflow_deliveries',
    help: 'Email deliveries by outcome',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      // A status that disappeared must read 0, not its last value.
      this.reset();
      const rows = await cached('deliveries', () => readDeliveryFacts.deliveries({ db }));
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'fundflow_reminder_lag_seconds',
    help: 'Reminder lag (sent time minus due time) over the last 24 hours',
    labelNames: ['quantile'] as const,
    registers,
    async collect() {
      // A status that disappeared must read 0, not its last value.
      this.reset();
      const lag = await cached('lag', () => readDeliveryFacts.lag({ db }));
      this.set({ quantile: '0.5' }, lag.p50);
      this.set({ quantile: '0.99' }, lag.p99);
    },
  });
}

/** One shared answer per key for `seconds` (0: no caching); concurrent scrapes share one query. */
function cacheFor(seconds: number, now: () => number) {
  const entries = new Map<string, { until: number; value: Promise<unknown> }>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const entry = entries.get(key);
    if (entry && entry.until > now()) return entry.value as Promise<T>;
    const value = load();
    entries.set(key, { until: now() + seconds * 1000, value });
    value.catch(() => entries.delete(key));
    return value;
  };
}

/**
 * Bull Board, mounted by the caller behind admin authentication. Read-only: a job added, retried,
 * promoted or cleaned by hand would act outside the audit trail (issue 11), so the board only looks.
 * Every queue is in `readOnlyMode` and, in case a board route ignores it, only GET and HEAD pass.
 */
export function bullBoardRouter(queues: Queue[], basePath: string): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })), serverAdapter });
  const router = Router();
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res
      .status(405)
      .set('allow', 'GET, HEAD')
      .type('application/problem+json')
      .json({ type: 'about:blank', title: '只读 / Read-only', status: 405, detail: 'the queue board is read-only', code: 'read-only' });
  });
  router.use(serverAdapter.getRouter() as Router);
  return router;
}
