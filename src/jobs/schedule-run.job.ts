import { z } from 'zod';
import { defineJob } from './job-contract.ts';

/**
 * A run of consecutive committed schedule effects (plan, replan) that the relay hands over as one
 * job (after an outage, a backlog): it names their outbox rows by dedupe key, in outbox order; the
 * rows are the truth, the job carries no payload of its own. Not an outbox topic.
 */
export const SCHEDULE_RUN_JOB = defineJob({
  name: 'schedule.run',
  version: 1,
  queue: 'effects',
  schema: z.object({ keys: z.array(z.string().min(1)).min(2).max(1_000) }),
});

/** A run's job id: deterministic, so the same run relayed twice is one job (no ':' for BullMQ). */
export const scheduleRunJobId = (keys: readonly string[]): string => `schedule-run.${keys[0]}.${keys.length}`;
