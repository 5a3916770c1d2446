import { z } from 'zod';
import { effectCause } from './effect-payload.ts';
import { defineJob } from './job-contract.ts';

/** A task handed to one person: they get a link of their own. */
export const TASK_DELEGATED_JOB = defineJob({
  name: 'task.delegated',
  version: 1,
  queue: 'effects',
  schema: z.object({ ...effectCause, taskId: z.uuid() }),
});
