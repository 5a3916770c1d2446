import type { z } from 'zod';

/**
 * One queue topic: its job name, the version of its payload, the queue it travels on and the zod
 * schema of its payload. The producer (outbox rows, relay, reconciler, schedulers) and the consumer
 * (workers/) both import it, so the two cannot drift apart. Bump `version` and add a new contract
 * when a payload changes incompatibly; rows already committed keep the shape of their version.
 */
export interface JobContract<Name extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly name: Name;
  readonly version: number;
  readonly queue: 'effects' | 'reminders' | 'checks';
  readonly schema: Schema;
}

export function defineJob<const Name extends string, Schema extends z.ZodType>(contract: JobContract<Name, Schema>): JobContract<Name, Schema> {
  return Object.freeze(contract);
}

export type JobPayload<C extends JobContract> = z.infer<C['schema']>;

/** The payload, or the reasons it can never be valid (the consumer then fails the job for good). */
export function readJobPayload<C extends JobContract>(contract: C, data: unknown): { ok: true; payload: JobPayload<C> } | { ok: false; reason: string } {
  const parsed = contract.schema.safeParse(data);
  if (parsed.success) return { ok: true, payload: parsed.data as JobPayload<C> };
  return { ok: false, reason: `bad ${contract.name}@${contract.version} payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
}
