import { businessDateOf } from '../../domain/business-date.ts';
import { raiseAlert } from '../../store/alerts.store.ts';
import { giveUpStuckDeliveries } from '../../store/deliveries.store.ts';
import { measurePendingEffects, type PendingEffects } from '../../store/outbox.store.ts';
import type { Database } from './effect-deps.ts';

export interface EffectWatchOptions {
  now: Date;
  /** A delivery still 'sending' this long after its last claim is given up: failed, with a red alert. */
  giveUpAfterMs: number;
  /** Effects pending longer than this raise a red alert. */
  behindAlertMinutes: number;
}

export interface EffectWatchReport {
  givenUp: number;
  pending: PendingEffects;
  behindAlert: boolean;
}

/**
 * Nothing owed is silent: a delivery whose claim nobody came back to (its owner, a relayed effect
 * or a reconciled reminder, sends it again under the same Message-ID while it is pending) is marked
 * failed after `giveUpAfterMs`, each with a red alert; and when the oldest pending effect is older
 * than `behindAlertMinutes`, a red alert says effects are behind (once an hour while it lasts).
 */
export async function watchEffects(db: Database, options: EffectWatchOptions): Promise<EffectWatchReport> {
  const { now } = options;
  const givenUp = await giveUpStuckDeliveries(db, new Date(now.getTime() - options.giveUpAfterMs));
  for (const delivery of givenUp) {
    await raiseAlert(db, {
      kind: 'delivery.given-up',
      severity: 'red',
      projectId: null,
      audienceRole: 'admin',
      dedupeKey: `delivery-given-up.${delivery.delivery_key}.${new Date(delivery.claimed_at).toISOString()}`,
      message: `邮件发送未完成，已标记为失败 / a mail to ${delivery.email} (${delivery.message_id}) was claimed at ${new Date(delivery.claimed_at).toISOString()} and never recorded as sent; marked failed`,
      details: { deliveryKey: delivery.delivery_key, reminderId: delivery.reminder_id, messageId: delivery.message_id, attempts: delivery.attempts },
      at: now,
    });
  }
  const pending = await measurePendingEffects(db, now);
  let behindAlert = false;
  if (pending.oldestAgeSeconds > options.behindAlertMinutes * 60) {
    const minutes = Math.floor(pending.oldestAgeSeconds / 60);
    behindAlert = await raiseAlert(db, {
      kind: 'effects.behind',
      severity: 'red',
      projectId: null,
      audienceRole: 'admin',
      dedupeKey: `effects-behind.${businessDateOf(now)}.${now.toISOString().slice(11, 13)}`,
      message: `待办效果积压 ${minutes} 分钟（超过 ${options.behindAlertMinutes} 分钟）/ effects are ${minutes} minutes behind: ${pending.unapplied} outbox rows not applied, ${pending.sending} deliveries still sending`,
      details: { ...pending },
      at: now,
    });
  }
  return { givenUp: givenUp.length, pending, behindAlert };
}
