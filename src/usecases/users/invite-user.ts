import { deliverOnce } from '../../mail/deliver-once.ts';
import { renderInviteMail } from '../../mail/invite.template.ts';
import { findUser, type UserRow } from '../../store/users.store.ts';
import { issueSignIn, type AuthDeps } from '../auth/sign-in.usecase.ts';
import { ROLE_LABELS } from './role-labels.ts';

export type InviteOutcome = { outcome: 'no-user' } | { outcome: 'inactive' } | { outcome: 'sent'; user: UserRow; expiresAt: Date } | { outcome: 'failed'; error: string };

/**
 * Emails a user an invitation: a one-time sign-in link and code (the sign-in flow's own), which
 * lands them on their inbox. Sent and recorded once per invitation; a deactivated user gets none.
 */
export async function inviteUser(deps: Pick<AuthDeps, 'db' | 'mailer' | 'now' | 'publicUrl'>, userId: string): Promise<InviteOutcome> {
  const user = await findUser(deps.db, userId);
  if (!user) return { outcome: 'no-user' };
  if (!user.active) return { outcome: 'inactive' };
  const issued = await issueSignIn(deps.db, { userId: user.id, publicUrl: deps.publicUrl, next: '/', now: deps.now() });
  const zh = user.locale === 'zh-CN';
  const delivered = await deliverOnce(deps.db, deps.mailer, deps.now, {
    key: `invite.${issued.challengeId}`,
    userId: user.id,
    email: user.email,
    compose: () =>
      renderInviteMail({
        locale: user.locale,
        recipientName: user.name,
        roleName: zh ? ROLE_LABELS[user.role].zh : ROLE_LABELS[user.role].en,
        link: issued.link,
        code: issued.code,
        expiresAt: issued.expiresAt,
        signInPage: `${deps.publicUrl}/sign-in`,
      }),
  });
  if (delivered.status === 'failed') return { outcome: 'failed', error: delivered.error };
  return { outcome: 'sent', user, expiresAt: issued.expiresAt };
}
