import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApplicantUser, addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { addOrganisation, deactivateUser } from '../../src/store/users.store.ts';
import { startAuthTestServer, type AuthTestServer } from '../support/auth-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { SmtpSink, type ReceivedMail } from '../support/smtp-sink.ts';
import { sampleProposal } from '../support/test-app.ts';
import { eventually } from '../support/test-workers.ts';

let database: TestDatabase;
let sink: SmtpSink;
let mailer: Mailer;
let server: AuthTestServer;
let orgs: Awaited<ReturnType<typeof ensureStandardOrganisations>>;
let unitId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  sink = new SmtpSink();
  mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
  orgs = await ensureStandardOrganisations(database.db);
  unitId = (await addOrganisation(database.db, { name: '阳城县润城镇人民政府', kind: 'unit' })).id;
  server = await startAuthTestServer(database.db, mailer, { signInLimits: { requestsPerEmail: 1000, requestsPerIp: 1000, codeAttempts: 1000 } });
});
afterAll(async () => {
  await server?.close();
  mailer?.close();
  await sink?.stop();
  await database?.drop();
});

let counter = 0;
async function newUser(role: 'applicant' | 'center' = 'center', locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<DirectoryUser> {
  counter += 1;
  const email = `user${counter}-${Math.random().toString(36).slice(2, 8)}@yc.test`;
  return role === 'applicant' ? addApplicantUser(database.db, unitId, email, `申报人${counter}`) : addStaffUser(database.db, orgs, 'center', email, `张${counter}`, locale);
}

interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

async function call(base: string, method: string, path: string, options: { json?: unknown; form?: Record<string, string>; cookie?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(`${base}${path}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

const cookieOf = (reply: Reply, name: string) => reply.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
const pairOf = (line: string | undefined) => line?.split(';')[0] ?? '';

async function mailFor(email: string, after = 0): Promise<ReceivedMail> {
  return eventually(async () => sink.received.slice(after).find((mail) => mail.to.includes(email)), `sign-in mail to ${email}`);
}

const linkPath = (mail: ReceivedMail) => /\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0] ?? '';
const codeOf = (mail: ReceivedMail) => /验证码 (\d{6})|code (\d{6})/.exec(mail.text)?.slice(1).find(Boolean) ?? '';

async function requestMail(base: string, email: string, next?: string): Promise<ReceivedMail> {
  const before = sink.received.length;
  const reply = await call(base, 'POST', '/api/v1/auth/sign-in', { json: { email, ...(next ? { next } : {}) } });
  expect(reply.status).toBe(202);
  return mailFor(email, before);
}

/** Opens the emailed link like a browser (GET, then the form's POST with the nonce cookie). */
async function followLink(base: string, path: string) {
  const page = await call(base, 'GET', path);
  const nonceCookie = pairOf(cookieOf(page, 'ff_sign_in'));
  const nonce = /name="nonce" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const post = await call(base, 'POST', path, { form: { nonce }, cookie: nonceCookie });
  return { page, post, session: pairOf(cookieOf(post, 'ff_session')) };
}

async function signIn(base = server.baseUrl, user?: DirectoryUser) {
  const who = user ?? (await newUser());
  const mail = await requestMail(base, who.email);
  const reply = await call(base, 'POST', '/api/v1/auth/sessions', { json: { email: who.email, code: codeOf(mail) }, headers: { 'user-agent': `test-agent-${counter}` } });
  expect(reply.status).toBe(201);
  return { user: who, cookie: pairOf(cookieOf(reply, 'ff_session')), csrf: reply.body.csrfToken as string, reply };
}

describe('sign-in by emailed link', () => {
  it('mails a Chinese link and code; GET shows a button and never signs in; the POST signs in and lands on next', async () => {
    const user = await newUser();
    const mail = await requestMail(server.baseUrl, user.email, '/projects/YC-2026-05-001');
    expect(mail.subject).toBe('【阳城县奖励资金】登录链接和验证码');
    expect(mail.text).toMatch(/^张\d+同志，您好：/);
    expect(mail.text).toContain('阳城县中小企业发展促进中心');
    expect(mail.text).toMatch(/（北京时间）前有效/);
    expect(codeOf(mail)).toMatch(/^\d{6}$/);
    const path = linkPath(mail);
    expect(path).not.toBe('');

    const page = await call(server.baseUrl, 'GET', path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('继续登录');
    expect(page.text).toContain('<form method="post"');
    expect(cookieOf(page, 'ff_session')).toBeUndefined();
    // Opening it again (a scanner, then the person) still shows the button: nothing was spent.
    expect((await call(server.baseUrl, 'GET', path)).status).toBe(200);

    const { post, session } = await followLink(server.baseUrl, path);
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe('/projects/YC-2026-05-001');
    const me = await call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie: session });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, email: user.email, role: 'center', orgId: orgs.center!.id, orgName: '阳城县中小企业发展促进中心', locale: 'zh-CN' });
    expect(me.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a POST without the page nonce cookie is refused and spends nothing', async () => {
    const user = await newUser();
    const path = linkPath(await requestMail(server.baseUrl, user.email));
    const forged = await call(server.baseUrl, 'POST', path, { form: { nonce: 'x' } });
    expect(forged.status).toBe(403);
    expect(cookieOf(forged, 'ff_session')).toBeUndefined();
    expect((await followLink(server.baseUrl, path)).post.status).toBe(303);
  });

  it('works once: a second POST and a later GET answer 410 and offer a new link; the code of the same mail is spent too', async () => {
    const user = await newUser();
    const mail = await requestMail(server.baseUrl, user.email);
    const first = await followLink(server.baseUrl, linkPath(mail));
    expect(first.post.status).toBe(303);
    const again = await followLink(server.baseUrl, linkPath(mail));
    expect(again.page.status).toBe(410);
    expect(again.page.text).toContain('已使用过');
    expect(again.page.text).toContain('重新获取登录链接');
    const code = await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email, code: codeOf(mail) } });
    expect(code.status).toBe(401);
  });

  it('expires after 15 minutes (test clock)', async () => {
    const user = await newUser();
    const mail = await requestMail(server.baseUrl, user.email);
    server.clock.set(new Date(server.clock.now().getTime() + 15 * 60_000 + 1000));
    const page = await call(server.baseUrl, 'GET', linkPath(mail));
    expect(page.status).toBe(410);
    expect(page.text).toContain('已过期');
    expect((await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email, code: codeOf(mail) } })).status).toBe(401);
  });

  it('keeps next only when it is a path of this site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const user = await newUser();
      const { post } = await followLink(server.baseUrl, linkPath(await requestMail(server.baseUrl, user.email, next)));
      expect(post.headers.get('location')).toBe('/');
    }
  });

  it('an English user gets the English mail and page', async () => {
    const user = await newUser('center', 'en');
    const mail = await requestMail(server.baseUrl, user.email);
    expect(mail.text).toMatch(/^Dear /);
    expect((await call(server.baseUrl, 'GET', linkPath(mail))).text).toContain('Continue signing in');
  });
});

describe('sign-in by code', () => {
  it('signs in with the code (201, user, csrfToken, cookie) once; a wrong code is 401; the link of the same mail is then spent', async () => {
    const user = await newUser();
    const mail = await requestMail(server.baseUrl, user.email);
    const wrong = await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email, code: codeOf(mail) === '000000' ? '111111' : '000000' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const ok = await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email.toUpperCase(), code: codeOf(mail) } });
    expect(ok.status).toBe(201);
    expect(ok.body.user.id).toBe(user.id);
    expect(typeof ok.body.csrfToken).toBe('string');
    expect(cookieOf(ok, 'ff_session')).toBeDefined();
    expect((await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email, code: codeOf(mail) } })).status).toBe(401);
    expect((await call(server.baseUrl, 'GET', linkPath(mail))).status).toBe(410);
  });

  it('five wrong codes spend the challenge', async () => {
    const user = await newUser();
    const mail = await requestMail(server.baseUrl, user.email);
    const code = codeOf(mail);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i += 1) expect((await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email, code: wrong } })).status).toBe(401);
    expect((await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email, code } })).status).toBe(401);
  });

  it('names the bad field', async () => {
    const reply = await call(server.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: 'a@yc.test', code: '12ab' } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual(['code']);
  });
});

describe('no account enumeration, rate limits', () => {
  it('an unknown or inactive address gets the same status and body, and no mail', async () => {
    const known = await newUser();
    const inactive = await newUser();
    await deactivateUser(database.db, inactive.id, null);
    const before = sink.received.length;
    const unknownReply = await call(server.baseUrl, 'POST', '/api/v1/auth/sign-in', { json: { email: 'nobody@yc.test' } });
    const inactiveReply = await call(server.baseUrl, 'POST', '/api/v1/auth/sign-in', { json: { email: inactive.email } });
    const knownReply = await call(server.baseUrl, 'POST', '/api/v1/auth/sign-in', { json: { email: known.email } });
    for (const reply of [unknownReply, inactiveReply, knownReply]) {
      expect(reply.status).toBe(202);
      expect(reply.text).toBe('{"sent":true}');
    }
    await mailFor(known.email, before);
    expect(sink.received.slice(before).filter((mail) => mail.to.includes('nobody@yc.test') || mail.to.includes(inactive.email))).toHaveLength(0);
  });

  it('limits requests per email and per client address (429 problem, code rate-limited)', async () => {
    const limited = await startAuthTestServer(database.db, mailer, { signInLimits: { requestsPerEmail: 2, requestsPerIp: 4 } });
    try {
      const user = await newUser();
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await call(limited.baseUrl, 'POST', '/api/v1/auth/sign-in', { json: { email: user.email } })).status);
      expect(statuses).toEqual([202, 202, 429]);
      const other = await call(limited.baseUrl, 'POST', '/api/v1/auth/sign-in', { json: { email: 'other@yc.test' } });
      expect(other.status).toBe(202);
      const perIp = await call(limited.baseUrl, 'POST', '/api/v1/auth/sign-in', { json: { email: 'third@yc.test' } });
      expect(perIp.status).toBe(429);
      expect(perIp.headers.get('content-type')).toContain('application/problem+json');
      expect(perIp.body.code).toBe('rate-limited');
    } finally {
      await limited.close();
    }
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, with no Secure on http', async () => {
    const { reply } = await signIn();
    const line = cookieOf(reply, 'ff_session')!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/; Secure/);
  });

  it('is Secure when PUBLIC_URL is https', async () => {
    const https = await startAuthTestServer(database.db, mailer, { publicUrl: 'https://fundflow.example.gov.cn' });
    try {
      const user = await newUser();
      const mail = await requestMail(https.baseUrl, user.email);
      expect(mail.text).toContain('https://fundflow.example.gov.cn/sign-in/');
      const reply = await call(https.baseUrl, 'POST', '/api/v1/auth/sessions', { json: { email: user.email, code: codeOf(mail) } });
      expect(cookieOf(reply, 'ff_session')).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  it('marks a session seen at most every 30 s, so a page opening with many requests writes its row once', async () => {
    const { user, cookie } = await signIn();
    const seen = async () =>
      (await database.db.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM sessions WHERE user_id = $1', [user.id]))[0]!.last_seen_at.getTime();
    const signedInAt = await seen();
    server.clock.set(new Date(server.clock.now().getTime() + 10_000));
    const burst = await Promise.all(Array.from({ length: 6 }, () => call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie })));
    expect(burst.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await seen()).toBe(signedInAt);
    server.clock.set(new Date(server.clock.now().getTime() + 25_000));
    expect((await call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
    expect(await seen()).toBe(server.clock.now().getTime());
  });

  it('ends after the idle time, and after the absolute time however busy', async () => {
    const short = await startAuthTestServer(database.db, mailer, { sessionIdleMinutes: 30, sessionAbsoluteHours: 2 });
    try {
      const idle = await signIn(short.baseUrl);
      short.clock.set(new Date(short.clock.now().getTime() + 29 * 60_000));
      expect((await call(short.baseUrl, 'GET', '/api/v1/auth/me', { cookie: idle.cookie })).status).toBe(200);
      short.clock.set(new Date(short.clock.now().getTime() + 31 * 60_000));
      expect((await call(short.baseUrl, 'GET', '/api/v1/auth/me', { cookie: idle.cookie })).status).toBe(401);

      const busy = await signIn(short.baseUrl);
      for (let minutes = 25; minutes < 120; minutes += 25) {
        short.clock.set(new Date(short.clock.now().getTime() + 25 * 60_000));
        expect((await call(short.baseUrl, 'GET', '/api/v1/auth/me', { cookie: busy.cookie })).status).toBe(200);
      }
      short.clock.set(new Date(short.clock.now().getTime() + 25 * 60_000));
      const late = await call(short.baseUrl, 'GET', '/api/v1/auth/me', { cookie: busy.cookie });
      expect(late.status).toBe(401);
      expect(late.body.code).toBe('unauthenticated');
    } finally {
      await short.close();
    }
  });
});

describe('sign-out and sessions', () => {
  it('signs out this session (with the CSRF header)', async () => {
    const { cookie, csrf } = await signIn();
    const refused = await call(server.baseUrl, 'POST', '/api/v1/auth/sign-out', { cookie });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('csrf');
    const out = await call(server.baseUrl, 'POST', '/api/v1/auth/sign-out', { cookie, headers: { 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(cookieOf(out, 'ff_session')).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
  });

  it('lists my sessions and revokes one of them; another user cannot revoke mine', async () => {
    const first = await signIn();
    const second = await signIn(server.baseUrl, first.user);
    const list = await call(server.baseUrl, 'GET', '/api/v1/auth/sessions', { cookie: second.cookie });
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    const current = list.body.sessions.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
    expect(other.userAgent).toMatch(/^test-agent-/);

    const stranger = await signIn();
    expect((await call(server.baseUrl, 'DELETE', `/api/v1/auth/sessions/${other.id}`, { cookie: stranger.cookie, headers: { 'x-csrf-token': stranger.csrf } })).status).toBe(404);
    expect((await call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie: first.cookie })).status).toBe(200);

    const revoked = await call(server.baseUrl, 'DELETE', `/api/v1/auth/sessions/${other.id}`, { cookie: second.cookie, headers: { 'x-csrf-token': second.csrf } });
    expect(revoked.status).toBe(204);
    expect((await call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie: first.cookie })).status).toBe(401);
    expect((await call(server.baseUrl, 'GET', '/api/v1/auth/sessions', { cookie: second.cookie })).body.sessions).toHaveLength(1);
    expect((await call(server.baseUrl, 'DELETE', `/api/v1/auth/sessions/${other.id}`, { cookie: second.cookie, headers: { 'x-csrf-token': second.csrf } })).status).toBe(404);
  });
});

describe('CSRF and bearer tokens', () => {
  it('a write with the cookie needs X-CSRF-Token; the right one is accepted; a bearer token needs none', async () => {
    const applicant = await newUser('applicant');
    const { cookie, csrf } = await signIn(server.baseUrl, applicant);
    const missing = await call(server.baseUrl, 'POST', '/api/v1/projects', { cookie, json: sampleProposal() });
    expect(missing.status).toBe(403);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body.code).toBe('csrf');
    const wrong = await call(server.baseUrl, 'POST', '/api/v1/projects', { cookie, json: sampleProposal(), headers: { 'x-csrf-token': csrf.slice(1) + 'A' } });
    expect(wrong.status).toBe(403);
    const count = async () => (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM projects WHERE org_id = $1', [unitId]))[0]!.n;
    expect(await count()).toBe(0);
    const ok = await call(server.baseUrl, 'POST', '/api/v1/projects', { cookie, json: sampleProposal(), headers: { 'x-csrf-token': csrf } });
    expect(ok.status).toBe(201);
    const bearer = await call(server.baseUrl, 'POST', '/api/v1/projects', { json: sampleProposal(), headers: { authorization: `Bearer ${applicant.token}` } });
    expect(bearer.status).toBe(201);
    expect(await count()).toBe(2);
    // The audit trail says where the person acted: the staff pages (session cookie) or a machine client (bearer).
    const channels = await database.db.query<{ channel: string }>('SELECT channel FROM project_events WHERE project_id = ANY($1::uuid[]) ORDER BY channel', [[ok.body.id, bearer.body.id]]);
    expect(channels.map((row) => row.channel)).toEqual(['api', 'page']);
    // GET with the cookie needs no header.
    expect((await call(server.baseUrl, 'GET', '/api/v1/projects', { cookie })).status).toBe(200);
    const me = await call(server.baseUrl, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${applicant.token}` } });
    expect(me.body).toMatchObject({ user: { id: applicant.id, role: 'applicant' }, csrfToken: null });
  });

  it('without cookie or token the API answers 401 problem+json', async () => {
    const reply = await call(server.baseUrl, 'GET', '/api/v1/auth/me');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(server.baseUrl, 'GET', '/api/v1/projects', { cookie: 'ff_session=forged' })).status).toBe(401);
  });
});

describe('deactivation', () => {
  it("a deactivated user's sessions stop at once (an admin deactivates them from a browser session)", async () => {
    const { user, cookie } = await signIn();
    expect((await call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
    const admin = await signIn(server.baseUrl, await addStaffUser(database.db, orgs, 'admin', `admin-${Math.random()}@yc.test`, '管理员'));
    const refused = await call(server.baseUrl, 'POST', `/api/v1/admin/users/${user.id}/deactivate`, { cookie: admin.cookie });
    expect(refused.body.code).toBe('csrf');
    const deactivated = await call(server.baseUrl, 'POST', `/api/v1/admin/users/${user.id}/deactivate`, { cookie: admin.cookie, headers: { 'x-csrf-token': admin.csrf } });
    expect(deactivated.status).toBe(200);
    expect((await call(server.baseUrl, 'GET', '/api/v1/auth/me', { cookie })).status).toBe(401);
    expect((await call(server.baseUrl, 'GET', '/api/v1/projects', { cookie })).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents every sign-in and session route', async () => {
    const doc = (await call(server.baseUrl, 'GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/auth/sessions']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/auth/sessions/{id}'])).toEqual(['delete']);
    expect(Object.keys(doc.paths['/api/v1/auth/sign-in'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/auth/me'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/auth/sign-out'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/sign-in/{token}']).sort()).toEqual(['get', 'post']);
    expect(doc.components.securitySchemes.session).toMatchObject({ in: 'cookie', name: 'ff_session' });
  });
});
