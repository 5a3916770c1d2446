import { z } from 'zod';
import { effectCause } from './effect-payload.ts';
import { defineJob } from './job-contract.ts';

/** Cancel deadlines the project no longer has. */
export const SCHEDULE_CANCEL_JOB = defineJob({
  name: 'schedule.cancel',
  version: 1,
  queue: 'effects',
  schema: z.object({ ...effectCause, deadlines: z.array(z.string()).min(1) }),
});
