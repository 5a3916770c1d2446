import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { isLoopbackPeer } from './loopback.ts';
import { sendProblem } from './problem.ts';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({
    name: 'fundflow_commands_total',
    help: 'Commands applied to projects, by event type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const commandSeconds = new Histogram({
    name: 'fundflow_command_duration_seconds',
    help: 'Time to apply one command, from request to committed answer',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, commands, commandSeconds };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Who may read /metrics: with METRICS_TOKEN set, a client sending `Authorization: Bearer <token>`;
 * without it, loopback clients only (a scraper on the same machine or through a local proxy).
 */
export function metricsGuard(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : createHash('sha256').update(token).digest();
  return (req, res, next) => {
    if (expected) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      const given = createHash('sha256').update(match?.[1] ?? '').digest();
      if (match && timingSafeEqual(given, expected)) return next();
      return sendProblem(res, 401, '需要登录 / Authentication required', 'send Authorization: Bearer <METRICS_TOKEN>', { code: 'unauthenticated' });
    }
    if (isLoopbackPeer(req)) return next();
    sendProblem(res, 403, '无权访问 / Not allowed', '/metrics answers loopback clients only; set METRICS_TOKEN to scrape it from elsewhere', {
      code: 'forbidden',
    });
  };
}
