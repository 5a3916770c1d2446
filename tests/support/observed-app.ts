import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Queue } from 'bullmq';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import { createApp } from '../../src/http/app.ts';

/**
 * The real HTTP app over the given engine with queues to observe, as src/main.ts composes it when
 * the workers run: /metrics then reports queue depths, reminders and deliveries by status.
 */
export async function startObservedApp(engine: EngineDeps, queues: Queue[]): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const { app } = createApp({
    engine,
    publicUrl: 'http://localhost',
    bodyLimit: '256kb',
    tokenCacheSeconds: 0,
    queues,
    logError: (error) => console.error('unexpected', error),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One sample of a Prometheus text exposition, e.g. metric(text, 'fundflow_deliveries', { status: 'sent' }). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}
