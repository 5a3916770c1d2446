import { z } from 'zod';
import { effectCause } from './effect-payload.ts';
import { defineJob } from './job-contract.ts';

/** Close the project's open tasks opened before the event, and revoke their links. */
export const TASK_CLOSE_JOB = defineJob({
  name: 'task.close',
  version: 1,
  queue: 'effects',
  schema: z.object({ ...effectCause, eventType: z.string(), actorId: z.uuid().nullable() }),
});
