import { Router } from 'express';
import { z } from 'zod';
import { ROLES } from '../../../config/roles.ts';
import { checkCreditCode } from '../../domain/credit-code.ts';
import { AppError } from '../../engine/app-error.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { addOrganisation } from '../../usecases/orgs/add-organisation.ts';
import { listOrganisations } from '../../usecases/orgs/list-organisations.ts';
import { updateOrganisation } from '../../usecases/orgs/update-organisation.ts';
import type { Database } from '../../usecases/system/open-database.ts';
import { createUser } from '../../usecases/users/create-user.ts';
import { deactivateUser } from '../../usecases/users/deactivate-user.ts';
import { inviteUser, type InviteOutcome } from '../../usecases/users/invite-user.ts';
import { issueUserToken } from '../../usecases/users/issue-user-token.ts';
import { listUsers, type UserListRow } from '../../usecases/users/list-users.ts';
import { updateUser } from '../../usecases/users/update-user.ts';
import { listUserTokens } from '../../usecases/users/list-user-tokens.ts';
import { revokeToken, type ApiTokenRow } from '../../usecases/users/revoke-token.ts';
import { forgetCachedTokens, requireUser, type AuthenticatedUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';

export const revokeTokenSchema = z.object({
  /** The token itself, or its SHA-256 in hex as listed by GET /admin/users/{id}/tokens. */
  token: z.string().trim().min(8, 'the token or its SHA-256').max(200),
});

export const ORG_KINDS = ['center', 'finance', 'leadership', 'unit', 'enterprise', 'authority', 'operator'] as const;

/** 统一社会信用代码, checked with its check character (GB 32100-2015). */
const creditCodeField = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((code, ctx) => {
    const check = checkCreditCode(code);
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.message ?? 'not a valid 统一社会信用代码' });
  });

const organisationNameField = z.string().trim().min(2, 'at least 2 characters').max(100);

export const createOrganisationSchema = z.object({
  name: organisationNameField,
  kind: z.enum(ORG_KINDS),
  creditCode: creditCodeField.optional(),
});

/** 编辑单位: the name and the credit code (null clears it); the kind stays, since roles hang on it. */
export const updateOrganisationSchema = z
  .object({ name: organisationNameField.optional(), creditCode: creditCodeField.nullable().optional() })
  .refine((change) => change.name !== undefined || change.creditCode !== undefined, { message: 'change at least one of name, creditCode', path: ['name'] });

export const createUserSchema = z.object({
  email: z.email().trim().toLowerCase().max(200),
  name: z.string().trim().min(1).max(50),
  role: z.enum(ROLES),
  orgId: z.uuid().nullable().default(null),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** Email the new person a sign-in link at once (default). */
  invite: z.boolean().default(true),
});

export const updateUserSchema = z
  .object({ name: z.string().trim().min(1).max(50).optional(), role: z.enum(ROLES).optional(), orgId: z.uuid().nullable().optional() })
  .refine((change) => Object.keys(change).length > 0, { message: 'change at least one of name, role, orgId', path: ['role'] });

export const issueTokenSchema = z.object({
  label: z.string().trim().min(1, 'say what the token is for').max(60),
  /** Days until it expires; 90 (the TOKEN_TTL_DAYS default) unless told. */
  expiresInDays: z.int().min(1).max(365).default(90),
});

export interface AdminMailDeps {
  mailer: Mailer;
  now: () => Date;
  publicUrl: string;
}

function userView(row: UserListRow) {
  return {
    id: row.id, email: row.email, name: row.name, role: row.role, orgId: row.org_id, orgName: row.org_name, locale: row.locale, active: row.active,
    createdAt: at(row.created_at), liveTokens: row.live_tokens, lastSignInAt: at(row.last_sign_in_at),
  };
}

function inviteAnswer(outcome: InviteOutcome) {
  if (outcome.outcome === 'no-user') throw new AppError('not-found', 'no such user');
  if (outcome.outcome === 'inactive') throw new AppError('guard-refused', 'the user is deactivated (账号已停用)', { reasons: ['user-inactive'] });
  if (outcome.outcome === 'failed') throw new AppError('unavailable', `the invitation could not be sent: ${outcome.error}`);
  return { sent: true, expiresAt: outcome.expiresAt.toISOString() };
}

function requireAdmin(user: AuthenticatedUser): void {
  if (user.role !== 'admin') throw new AppError('forbidden', `this is for admin, not ${user.role}`);
}

const at = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function tokenView(row: ApiTokenRow) {
  return { tokenHash: row.token_hash, userId: row.user_id, label: row.label, createdAt: at(row.created_at), expiresAt: at(row.expires_at), revokedAt: at(row.revoked_at) };
}

/**
 * Losing access (issue 11): an admin revokes a token or deactivates a user. Both take effect on
 * this process at once (its token cache is emptied); other API processes see it within TOKEN_CACHE_SECONDS.
 */
export function adminRouter(db: Database, mail: AdminMailDeps): Router {
  const router = Router();
  const deps = { db, now: mail.now };

  router.get('/admin/orgs', async (req, res) => {
    requireAdmin(requireUser(req));
    const orgs = await listOrganisations(deps);
    res.json({ items: orgs.map((org) => ({ id: org.id, name: org.name, kind: org.kind, creditCode: org.credit_code })) });
  });

  router.post('/admin/orgs', async (req, res) => {
    requireAdmin(requireUser(req));
    const input = parseOrThrow(createOrganisationSchema, req.body);
    const org = await addOrganisation(deps, { name: input.name, kind: input.kind, ...(input.creditCode ? { creditCode: input.creditCode } : {}) });
    res.status(201).json({ id: org.id, name: org.name, kind: org.kind, creditCode: org.credit_code });
  });

  router.patch('/admin/orgs/:id', async (req, res) => {
    requireAdmin(requireUser(req));
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const change = parseOrThrow(updateOrganisationSchema, req.body);
    const org = await updateOrganisation(deps, { orgId: id, ...change });
    if (!org) throw new AppError('not-found', `no organisation ${id}`);
    res.json({ id: org.id, name: org.name, kind: org.kind, creditCode: org.credit_code });
  });

  router.get('/admin/users', async (req, res) => {
    requireAdmin(requireUser(req));
    res.json({ items: (await listUsers(deps)).map(userView) });
  });

  router.post('/admin/users', async (req, res) => {
    const admin = requireUser(req);
    requireAdmin(admin);
    const input = parseOrThrow(createUserSchema, req.body);
    const user = await createUser(deps, input);
    // The person exists either way; a mail that could not go out is said in the answer, to be resent.
    const invited = input.invite ? await inviteUser({ ...deps, mailer: mail.mailer, publicUrl: mail.publicUrl }, user.id) : null;
    const invitation = invited === null ? null : invited.outcome === 'sent' ? { sent: true, expiresAt: invited.expiresAt.toISOString() } : { sent: false, error: invited.outcome === 'failed' ? invited.error : invited.outcome };
    res.status(201).json({ id: user.id, email: user.email, name: user.name, role: user.role, orgId: user.org_id, locale: user.locale, active: user.active, invitation });
  });

  router.patch('/admin/users/:id', async (req, res) => {
    const admin = requireUser(req);
    requireAdmin(admin);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const change = parseOrThrow(updateUserSchema, req.body);
    const user = await updateUser(deps, { userId: id, by: admin.userId, ...change });
    if (!user) throw new AppError('not-found', `no user ${id}`);
    forgetCachedTokens();
    res.json({ id: user.id, email: user.email, name: user.name, role: user.role, orgId: user.org_id, locale: user.locale, active: user.active });
  });

  router.post('/admin/users/:id/invite', async (req, res) => {
    requireAdmin(requireUser(req));
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    res.json(inviteAnswer(await inviteUser({ ...deps, mailer: mail.mailer, publicUrl: mail.publicUrl }, id)));
  });

  router.post('/admin/users/:id/tokens', async (req, res) => {
    requireAdmin(requireUser(req));
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const input = parseOrThrow(issueTokenSchema, req.body);
    const issued = await issueUserToken(deps, { userId: id, label: input.label, tokenTtlDays: input.expiresInDays });
    if (issued.outcome === 'no-user') throw new AppError('not-found', `no user ${id}`);
    if (issued.outcome === 'inactive') throw new AppError('guard-refused', 'the user is deactivated (账号已停用)', { reasons: ['user-inactive'] });
    // The token itself is in this answer only; the server keeps its SHA-256.
    res.status(201).json({ token: issued.token, userId: id, label: input.label, expiresAt: at(issued.expiresAt) });
  });

  router.post('/admin/tokens/revoke', async (req, res) => {
    const admin = requireUser(req);
    requireAdmin(admin);
    const input = parseOrThrow(revokeTokenSchema, req.body);
    const row = await revokeToken({ db }, input.token, admin.userId);
    if (!row) throw new AppError('not-found', 'no such token');
    forgetCachedTokens();
    res.json(tokenView(row));
  });

  router.get('/admin/users/:id/tokens', async (req, res) => {
    requireAdmin(requireUser(req));
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const tokens = await listUserTokens({ db }, id);
    if (!tokens) throw new AppError('not-found', `no user ${id}`);
    res.json({ items: tokens.map(tokenView) });
  });

  router.post('/admin/users/:id/deactivate', async (req, res) => {
    const admin = requireUser(req);
    requireAdmin(admin);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    if (id === admin.userId) throw new AppError('guard-refused', 'an admin cannot deactivate themself', { reasons: ['self-deactivation'] });
    const result = await deactivateUser({ db }, { id }, admin.userId);
    if (!result) throw new AppError('not-found', `no user ${id}`);
    forgetCachedTokens();
    res.json({ userId: result.user.id, email: result.user.email, active: result.user.active, tokensRevoked: result.tokensRevoked, linksRevoked: result.linksRevoked, sessionsEnded: result.sessionsEnded });
  });

  return router;
}
