import { z } from 'zod';

/** What every effect of a committed transition carries: the project event that caused it. */
export const effectCause = {
  projectId: z.uuid(),
  seq: z.int().positive(),
  eventType: z.string().optional(),
  actorId: z.uuid().nullable().optional(),
};
