import { z } from 'zod';
import { effectCause } from './effect-payload.ts';
import { defineJob } from './job-contract.ts';
import { NOTICE_TEMPLATES } from '../domain/vocabulary.ts';

/** A notice to the roles named, except the person who acted. */
export const NOTIFY_JOB = defineJob({
  name: 'notify',
  version: 1,
  queue: 'effects',
  schema: z.object({ ...effectCause, eventType: z.string(), actorId: z.uuid().nullable(), template: z.enum(NOTICE_TEMPLATES), to: z.array(z.string()).min(1) }),
});
