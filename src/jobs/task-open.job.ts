import { z } from 'zod';
import { effectCause } from './effect-payload.ts';
import { defineJob } from './job-contract.ts';

/** Open a task for a step's assignees and email each candidate a link. */
export const TASK_OPEN_JOB = defineJob({
  name: 'task.open',
  version: 1,
  queue: 'effects',
  schema: z.object({ ...effectCause, eventType: z.string(), task: z.string().min(1), role: z.string().min(1), step: z.int().min(0).optional() }),
});
