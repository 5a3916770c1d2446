import { z } from 'zod';
import { effectCause } from './effect-payload.ts';
import { defineJob } from './job-contract.ts';

/** After a resume: execution deadlines start again from today; an open correction keeps its date. */
export const SCHEDULE_REPLAN_JOB = defineJob({
  name: 'schedule.replan',
  version: 1,
  queue: 'effects',
  schema: z.object({ ...effectCause, correctionDue: z.iso.date().nullable().optional() }),
});
