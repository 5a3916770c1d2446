import type { Database } from '../store/database.ts';
import { claimDelivery, markDelivered, markDeliveryError } from '../store/deliveries.store.ts';
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
  /** On the last attempt a failure is recorded as final. */
  finalAttempt?: boolean;
}

export type DeliveryOutcome = { status: 'sent'; lagMs: number } | { status: 'already-sent' } | { status: 'failed'; error: string };

/** Claims the delivery key, sends, and records the outcome; a failure is returned, not thrown, so callers can try every recipient. */
export async function deliverOnce(db: Database, mailer: Mailer, now: () => Date, request: DeliveryRequest): Promise<DeliveryOutcome> {
  const messageId = `<${request.key}@fundflow>`;
  const claimed = await claimDelivery(db, { key: request.key, reminderId: request.reminderId ?? null, userId: request.userId, email: request.email, messageId });
  if (!claimed) return { status: 'already-sent' };
  try {
    const mail = await request.compose();
    await mailer.send({ to: request.email, messageId, ...mail });
    const lagMs = request.dueAt ? now().getTime() - request.dueAt.getTime() : 0;
    await markDelivered(db, request.key, now(), lagMs);
    return { status: 'sent', lagMs };
  } catch (error) {
    const message = (error as Error).message;
    await markDeliveryError(db, request.key, message, request.finalAttempt ?? false);
    return { status: 'failed', error: `${request.email}: ${message}` };
  }
}
