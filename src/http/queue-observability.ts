import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';
import { Gauge } from 'prom-client';
import type { Database } from '../store/database.ts';
import type { Metrics } from './metrics.ts';

/**
 * Queue depths, reminders and deliveries by status, and reminder lag, read at scrape time from
 * Redis and the database, so the figures are right whichever process runs the workers.
 */
export function registerQueueMetrics(metrics: Metrics, db: Database, queues: Queue[]): void {
  const registers = [metrics.registry];
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
      const rows = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int8 AS n FROM reminders GROUP BY status');
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
      const rows = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int8 AS n FROM deliveries GROUP BY status');
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
      const rows = await db.query<{ p50: number | null; p99: number | null }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag_ms) / 1000.0 AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY lag_ms) / 1000.0 AS p99
           FROM deliveries WHERE reminder_id IS NOT NULL AND sent_at > now() - interval '1 day'`,
      );
      this.set({ quantile: '0.5' }, Number(rows[0]?.p50 ?? 0));
      this.set({ quantile: '0.99' }, Number(rows[0]?.p99 ?? 0));
    },
  });
}

/** Bull Board, mounted by the caller behind admin authentication. */
export function bullBoardRouter(queues: Queue[], basePath: string): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  return serverAdapter.getRouter() as Router;
}
