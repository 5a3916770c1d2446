import type { Database } from '../store/database.ts';
import { claimDeliveries, recordDeliveries, type DeliveryResults } from '../store/deliveries.store.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';

export interface DeliveryRequest {
  /** Unique per notification and recipient: a retried or duplicated job never sends twice. */
  key: string;
  reminderId?: string | null;
  userId: string;
  email: string;
  /** Builds the message only when it is really going out (e.g. issues a link token then). */
  compose: () => Promise<Omit<OutgoingMail, 'to' | 'messageId'>> | Omit<OutgoingMail, 'to' | 'messageId'>;
  /** For the lag of reminders: when it was due. */
  dueAt?: Date;
}

export type DeliveryOutcome = { status: 'sent'; lagMs: number } | { status: 'already-sent' } | { status: 'failed'; error: string };

export interface DeliveryOptions {
  /** On the last attempt a failure is recorded as final. */
  finalAttempt?: boolean;
  /** A reminder whose recipients these are: settled with the outcomes once all are sent, or when the last attempt failed. */
  reminderId?: string;
  /** The keys to send, when the caller has claimed them already (takeDueReminders); others count as already sent. */
  claimed?: ReadonlySet<string>;
  /** Writes the results (default: recordDeliveries of these alone); the reminders worker coalesces them. */
  record?: (results: DeliveryResults) => Promise<void>;
}

/**
 * Claims every delivery key (one statement, unless the caller did), sends to those not sent before,
 * and records the outcomes (one statement, settling the reminder in it). A failure is returned, not
 * thrown, so callers see every recipient's outcome.
 */
export async function deliverAll(
  db: Database,
  mailer: Mailer,
  now: () => Date,
  requests: readonly DeliveryRequest[],
  options: DeliveryOptions = {},
): Promise<DeliveryOutcome[]> {
  const messageIdOf = (request: DeliveryRequest) => `<${request.key}@fundflow>`;
  const toSend =
    options.claimed ??
    (await claimDeliveries(
      db,
      requests.map((r) => ({ key: r.key, reminderId: r.reminderId ?? null, userId: r.userId, email: r.email, messageId: messageIdOf(r) })),
      now(),
    ));
  const sent: { key: string; lagMs: number }[] = [];
  const failed: { key: string; error: string }[] = [];
  const outcomes = await Promise.all(
    requests.map(async (request): Promise<DeliveryOutcome> => {
      if (!toSend.has(request.key)) return { status: 'already-sent' };
      try {
        const mail = await request.compose();
        await mailer.send({ to: request.email, messageId: messageIdOf(request), ...mail });
        const lagMs = request.dueAt ? now().getTime() - request.dueAt.getTime() : 0;
        sent.push({ key: request.key, lagMs });
        return { status: 'sent', lagMs };
      } catch (error) {
        const message = (error as Error).message;
        failed.push({ key: request.key, error: message });
        return { status: 'failed', error: `${request.email}: ${message}` };
      }
    }),
  );
  const finalAttempt = options.finalAttempt ?? false;
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [outcome.error] : []));
  const settle =
    options.reminderId === undefined
      ? undefined
      : failures.length === 0
        ? { reminderId: options.reminderId, status: 'sent' as const, reason: null }
        : finalAttempt
          ? { reminderId: options.reminderId, status: 'failed' as const, reason: failures.join('; ') }
          : undefined;
  if (sent.length > 0 || failed.length > 0 || settle) {
    const results: DeliveryResults = { sent, failed, final: finalAttempt, now: now(), ...(settle ? { settle } : {}) };
    await (options.record ? options.record(results) : recordDeliveries(db, [results]));
  }
  return outcomes;
}

/** One recipient's delivery (deliverAll of one). */
export async function deliverOnce(db: Database, mailer: Mailer, now: () => Date, request: DeliveryRequest, options: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  return (await deliverAll(db, mailer, now, [request], options))[0]!;
}
