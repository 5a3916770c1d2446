import { Gauge, type Registry } from 'prom-client';
import { measurePendingEffects } from '../../store/outbox.store.ts';
import type { Database } from './effect-deps.ts';

/**
 * fundflow_oldest_pending_effect_seconds: the age of the oldest effect still owed (an outbox row its
 * consumer has not applied, or a delivery claimed and not recorded), read at scrape time from the
 * database, so it is right whichever process runs the workers and whatever Redis lost.
 * Wired by the app with its registry: registerPendingEffectsMetric(metrics.registry, db, () => new Date()).
 */
export function registerPendingEffectsMetric(registry: Registry, db: Database, now: () => Date, cacheSeconds = 0): void {
  // Both gauges are read in one scrape; one measurement, kept cacheSeconds, serves them (METRICS_CACHE_SECONDS).
  let cached: { at: number; value: Promise<Awaited<ReturnType<typeof measurePendingEffects>>> } | undefined;
  const measure = () => {
    const at = now().getTime();
    if (!cached || at - cached.at >= Math.max(cacheSeconds * 1000, 1)) {
      const value = measurePendingEffects(db, now());
      value.catch(() => (cached = undefined));
      cached = { at, value };
    }
    return cached.value;
  };
  new Gauge({
    name: 'fundflow_oldest_pending_effect_seconds',
    help: 'Age of the oldest pending effect (outbox row not applied by its consumer, or delivery claimed and not recorded)',
    registers: [registry],
    async collect() {
      this.set((await measure()).oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'fundflow_pending_effects',
    help: 'Effects still owed, by kind: outbox rows not applied, deliveries still sending',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const pending = await measure();
      this.set({ kind: 'outbox' }, pending.unapplied);
      this.set({ kind: 'sending' }, pending.sending);
    },
  });
}
