import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { startAuthTestServer, type AuthTestServer } from '../support/auth-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { apiClient } from '../support/test-app.ts';

let database: TestDatabase;
let sink: SmtpSink;
let mailer: Mailer;
let server: AuthTestServer;
let api: ReturnType<typeof apiClient>;
let orgs: Awaited<ReturnType<typeof ensureStandardOrganisations>>;
const staff = {} as Record<'admin' | 'center', DirectoryUser>;

beforeAll(async () => {
  database = await createTestDatabase();
  sink = new SmtpSink();
  mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
  orgs = await ensureStandardOrganisations(database.db);
  for (const role of ['admin', 'center'] as const) staff[role] = await addStaffUser(database.db, orgs, role, `${role}-${Math.random()}@yc.test`, `${role} 同事`);
  server = await startAuthTestServer(database.db, mailer);
  api = apiClient(server.baseUrl);
});
afterAll(async () => {
  await server?.close();
  mailer?.close();
  await sink?.stop();
  await database?.drop();
});

const VALID_CODE = '91140522MA0GRY8H92';

describe('编辑单位 (PATCH /api/v1/admin/orgs/{id})', () => {
  it('an admin renames an organisation and sets, then clears, its 统一社会信用代码; the list and its people follow', async () => {
    const created = await api('POST', '/api/v1/admin/orgs', { token: staff.admin.token, body: { name: '阳城县某农业合作社', kind: 'enterprise' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const renamed = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.admin.token, body: { name: ' 阳城县某农业专业合作社 ', creditCode: VALID_CODE.toLowerCase() } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ id, name: '阳城县某农业专业合作社', kind: 'enterprise', creditCode: VALID_CODE });

    const listed = await api('GET', '/api/v1/admin/orgs', { token: staff.admin.token });
    expect(listed.body.items.find((org: { id: string }) => org.id === id)).toEqual({ id, name: '阳城县某农业专业合作社', kind: 'enterprise', creditCode: VALID_CODE });

    // A person of the organisation shows its new name (users point at it by id).
    const member = await api('POST', '/api/v1/admin/users', { token: staff.admin.token, body: { email: `member-${Math.random()}@yc.test`, name: '王芳', role: 'applicant', orgId: id, invite: false } });
    expect(member.status).toBe(201);
    const users = await api('GET', '/api/v1/admin/users', { token: staff.admin.token });
    expect(users.body.items.find((user: { id: string }) => user.id === member.body.id).orgName).toBe('阳城县某农业专业合作社');

    // Only the name changes; the code stays. Then null clears the code.
    const nameOnly = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.admin.token, body: { name: '阳城县某农业合作社' } });
    expect(nameOnly.body).toMatchObject({ name: '阳城县某农业合作社', creditCode: VALID_CODE });
    const cleared = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.admin.token, body: { creditCode: null } });
    expect(cleared.body).toMatchObject({ name: '阳城县某农业合作社', creditCode: null });
  });

  it('bad input is a 400 problem naming the field; a taken name names name; an unknown id is 404', async () => {
    const id = orgs.center!.id;
    const wrongCheck = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.admin.token, body: { creditCode: '91140522MA0GRY8H93' } });
    expect(wrongCheck.status).toBe(400);
    expect(wrongCheck.headers.get('content-type')).toMatch(/problem\+json/);
    expect(wrongCheck.body.errors).toEqual([expect.objectContaining({ field: 'creditCode' })]);

    const short = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.admin.token, body: { name: '县' } });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].field).toBe('name');

    const nothing = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.admin.token, body: {} });
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors[0].field).toBe('name');

    const taken = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.admin.token, body: { name: orgs.finance!.name } });
    expect(taken.status).toBe(400);
    expect(taken.body.errors[0].field).toBe('name');

    const badId = await api('PATCH', '/api/v1/admin/orgs/not-a-uuid', { token: staff.admin.token, body: { name: '阳城县某单位' } });
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('id');

    const unknown = await api('PATCH', '/api/v1/admin/orgs/00000000-0000-4000-8000-000000000000', { token: staff.admin.token, body: { name: '阳城县某单位' } });
    expect(unknown.status).toBe(404);

    // Nothing changed along the way.
    const listed = await api('GET', '/api/v1/admin/orgs', { token: staff.admin.token });
    expect(listed.body.items.find((org: { id: string }) => org.id === id).name).toBe(orgs.center!.name);
  });

  it('only admins edit organisations: another role gets 403, anonymous 401', async () => {
    const id = orgs.center!.id;
    const forbidden = await api('PATCH', `/api/v1/admin/orgs/${id}`, { token: staff.center.token, body: { name: '阳城县某单位' } });
    expect(forbidden.status).toBe(403);
    expect((await api('PATCH', `/api/v1/admin/orgs/${id}`, { body: { name: '阳城县某单位' } })).status).toBe(401);
    const listed = await api('GET', '/api/v1/admin/orgs', { token: staff.admin.token });
    expect(listed.body.items.find((org: { id: string }) => org.id === id).name).toBe(orgs.center!.name);
  });
});
