import type { Queue } from 'bullmq';
import type { Database } from '../src/usecases/effects/effect-deps.ts';
import { relayOutbox } from '../src/usecases/effects/relay-outbox.ts';

export interface OutboxRelay {
  stop: () => Promise<void>;
}

/**
 * Polls the outbox (PGlite has no LISTEN across processes; a short poll serves both backends) and
 * relays rows to the effects queue: new ones, and relayed ones their consumer has not applied after
 * `redeliverAfterMs` (the database is the truth; Redis may have lost them).
 */
export function startOutboxRelay(
  db: Database,
  queue: Queue,
  options: { topics: readonly string[]; intervalMs?: number; redeliverAfterMs: number; now: () => Date; onError: (error: unknown) => void },
): OutboxRelay {
  const intervalMs = options.intervalMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      for (;;) {
        if (stopped) break;
        const moved = await relayOutbox(db, queue, { topics: options.topics, now: options.now(), redeliverAfterMs: options.redeliverAfterMs });
        if (moved.fresh + moved.stale === 0) break;
      }
    } catch (error) {
      options.onError(error);
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), intervalMs);
  };
  running = tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
