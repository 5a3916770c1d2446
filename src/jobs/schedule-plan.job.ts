import { z } from 'zod';
import { DEADLINES } from '../../config/reminder-policies.ts';
import { effectCause } from './effect-payload.ts';
import { defineJob } from './job-contract.ts';

/** Plan one deadline (a regular inspection brings an unannounced one with it). */
export const SCHEDULE_PLAN_JOB = defineJob({
  name: 'schedule.plan',
  version: 1,
  queue: 'effects',
  schema: z.object({ ...effectCause, deadline: z.enum(DEADLINES), date: z.iso.date() }),
});
