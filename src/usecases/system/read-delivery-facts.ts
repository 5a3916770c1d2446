import type { EngineDeps } from '../../engine/engine-deps.ts';
import { countDeliveriesByStatus, countRemindersByStatus, reminderLagSeconds } from '../../store/observability.store.ts';

/** What /metrics shows about reminders and deliveries (the HTTP layer caches and exports it). */
export const readDeliveryFacts = {
  reminders: (deps: Pick<EngineDeps, 'db'>) => countRemindersByStatus(deps.db),
  deliveries: (deps: Pick<EngineDeps, 'db'>) => countDeliveriesByStatus(deps.db),
  lag: (deps: Pick<EngineDeps, 'db'>) => reminderLagSeconds(deps.db),
};
