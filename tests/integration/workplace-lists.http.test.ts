import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { addStaffUser, ensureStandardOrganisations } from '../../src/admin/standard-directory.ts';
import { smtpMailer, type Mailer } from '../../src/mail/mailer.ts';
import { assignTask, openTask } from '../../src/store/tasks.store.ts';
import { runDailyChecks } from '../../src/usecases/checks/run-daily-checks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The workplace's lists (issue 12): my tasks and the projects list page by keyset with filters, a
 * project by its code, a project's open tasks with their holders, allowedEvents after guards.
 */
let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
let sink: SmtpSink;
let mailer: Mailer;

interface TaskItem {
  id: string;
  kind: string;
  projectId: string;
  projectCode: string;
  projectTitle: string;
  item: number;
  dueDate: string;
  overdue: boolean;
}
interface ProjectItem {
  id: string;
  code: string;
  title: string;
  state: string;
  item: { id: number };
  orgId: string;
  light: string | null;
  overdue: boolean;
}

const review: { id: string; item: number; title: string }[] = [];
let executingRed: string;
let executingGreen: string;
let assignedTaskId: string;
let secondCenter: Awaited<ReturnType<typeof addStaffUser>>;
const token = (role: keyof TestApp['users']) => app.users[role].token;

async function send(projectId: string, role: keyof TestApp['users'], type: string, payload: Record<string, unknown> = {}) {
  const body = await withMaterialsOverHttp(app, projectId, { type, ...payload });
  const answer = await api('POST', `/api/v1/projects/${projectId}/events`, { token: token(role), body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** Every page of a list, following nextCursor. */
async function allPages<T>(path: string, userToken: string, limit: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const answer: { status: number; body: { items: T[]; nextCursor: string | null } } = await api(
      'GET',
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: userToken },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { items, pages };
}

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  sink = new SmtpSink();
  mailer = smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>');
  secondCenter = await addStaffUser(app.db, await ensureStandardOrganisations(app.db), 'center', `center2-${Math.random()}@yc.test`, '第二位中心用户');

  // Nine proposals in review (items 5 and 7), each with a center review task; due dates repeat so
  // that the id must break ties. Tasks are opened with the store as the effects worker would.
  const dues = ['2024-10-01', '2024-10-08', '2024-10-08', '2024-10-08', '2024-10-10', '2024-10-15', '2024-10-15', '2024-11-01', '2024-12-01'];
  for (const [index, dueDate] of dues.entries()) {
    const item = index % 3 === 0 ? 7 : 5;
    const title = index === 4 ? '润城镇100%_特色产业培训' : `中小企业培训第${index}期`;
    const { id, version } = await driveTo(app, 'proposed.review', { item, title });
    review.push({ id, item, title });
    const task = await openTask(app.db, { projectId: id, seq: version, kind: 'review', role: 'center', step: 0, orgId: null, dueDate, now: app.clock.now() });
    if (index === 8) {
      await assignTask(app.db, task.id, secondCenter.id);
      assignedTaskId = task.id;
    }
  }
  // A finance task of another kind on the first project.
  await openTask(app.db, { projectId: review[0]!.id, seq: 999, kind: 'disburse', role: 'finance', step: null, orgId: null, dueDate: '2024-10-20', now: app.clock.now() });

  // 双监控: two executing projects over a 100-day period, at 50% elapsed on the check day.
  executingRed = (await driveTo(app, 'approved', { requestedFen: 10_000_000, periodStart: '2024-10-01', periodEnd: '2025-01-09' })).id;
  await send(executingRed, 'finance', 'DISBURSE', { amountFen: 3_000_000 }); // 30%: 20 points behind, red
  executingGreen = (await driveTo(app, 'approved', { requestedFen: 10_000_000, periodStart: '2024-10-01', periodEnd: '2025-01-09' })).id;
  await send(executingGreen, 'finance', 'DISBURSE', { amountFen: 6_000_000 }); // 60%: ahead on money
  app.clock.set('2024-11-20T02:00:00Z');
  const report = { periodStart: '2024-10-01', periodEnd: '2024-11-19' };
  await send(executingRed, 'applicant', 'REPORT_PROGRESS', { ...report, indicators: [{ indicatorId: 'OUT1', value: 3 }, { indicatorId: 'EFF1', value: 30 }] });
  await send(executingGreen, 'applicant', 'REPORT_PROGRESS', { ...report, indicators: [{ indicatorId: 'OUT1', value: 6 }, { indicatorId: 'EFF1', value: 60 }] });
  await runDailyChecks({ db: app.db, mailer, publicUrl: 'http://fundflow.test', rules: DEFAULT_MONITORING_RULES, now: app.clock.now });
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await sink?.stop();
  await app?.close();
  await database?.drop();
});

describe('GET /api/v1/tasks: my tasks by keyset', () => {
  it('pages of 2 give every task once, in due-date-then-id order, the same as one page', async () => {
    const whole = await api<{ items: TaskItem[]; nextCursor: string | null }>('GET', '/api/v1/tasks?limit=200', { token: token('center') });
    expect(whole.status).toBe(200);
    expect(whole.body.nextCursor).toBeNull();
    expect(whole.body.items).toHaveLength(8); // the ninth is assigned to the other center user
    const paged = await allPages<TaskItem>('/api/v1/tasks', token('center'), 2);
    expect(paged.pages).toBe(4);
    expect(paged.items.map((task) => task.id)).toEqual(whole.body.items.map((task) => task.id));
    expect(new Set(paged.items.map((task) => task.id)).size).toBe(8);
    const keys = paged.items.map((task) => `${task.dueDate} ${task.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('each task carries its project code, title and item; overdue follows the Beijing date', async () => {
    const { body } = await api<{ items: TaskItem[] }>('GET', '/api/v1/tasks?limit=200', { token: token('center') });
    const first = body.items[0]!;
    expect(first.projectId).toBe(review[0]!.id);
    expect(first.projectCode).toMatch(/^YC-2024-07-\d{3}$/);
    expect(first.projectTitle).toBe(review[0]!.title);
    expect(first.item).toBe(7);
    expect(body.items.filter((task) => task.overdue)).toHaveLength(8); // all due before 2024-11-20
  });

  it('filters by kind, item, project id and part of a code or title (taken literally)', async () => {
    const byItem = await api<{ items: TaskItem[] }>('GET', '/api/v1/tasks?item=7&limit=200', { token: token('center') });
    expect(byItem.body.items.map((task) => task.projectId).sort()).toEqual(review.filter((p, i) => p.item === 7 && i !== 8).map((p) => p.id).sort());
    const byProject = await api<{ items: TaskItem[] }>('GET', `/api/v1/tasks?projectId=${review[3]!.id}`, { token: token('center') });
    expect(byProject.body.items.map((task) => task.projectId)).toEqual([review[3]!.id]);
    const literal = await api<{ items: TaskItem[] }>('GET', `/api/v1/tasks?project=${encodeURIComponent('100%_')}`, { token: token('center') });
    expect(literal.body.items.map((task) => task.projectId)).toEqual([review[4]!.id]);
    const wildcardOnly = await api<{ items: TaskItem[] }>('GET', `/api/v1/tasks?project=${encodeURIComponent('%')}`, { token: token('center') });
    expect(wildcardOnly.body.items.map((task) => task.projectId)).toEqual([review[4]!.id]);
    const code = byProject.body.items[0]!.projectCode;
    const byCode = await api<{ items: TaskItem[] }>('GET', `/api/v1/tasks?project=${code.toLowerCase()}`, { token: token('center') });
    expect(byCode.body.items.map((task) => task.projectCode)).toEqual([code]);
    const disburse = await api<{ items: TaskItem[] }>('GET', '/api/v1/tasks?kind=disburse', { token: token('finance') });
    expect(disburse.body.items.map((task) => task.kind)).toEqual(['disburse']);
    const noReviewForFinance = await api<{ items: TaskItem[] }>('GET', '/api/v1/tasks?kind=review', { token: token('finance') });
    expect(noReviewForFinance.body.items).toEqual([]);
  });

  it('shows each caller only their own: an assigned task to its holder alone, nothing of staff to an applicant', async () => {
    const holder = await api<{ items: TaskItem[] }>('GET', '/api/v1/tasks', { token: secondCenter.token });
    expect(holder.body.items.map((task) => task.id)).toContain(assignedTaskId);
    const finance = await api<{ items: TaskItem[] }>('GET', '/api/v1/tasks', { token: token('finance') });
    expect(finance.body.items.map((task) => task.kind)).toEqual(['disburse']);
    const applicant = await api<{ items: TaskItem[] }>('GET', '/api/v1/tasks', { token: token('applicant') });
    expect(applicant.body.items).toEqual([]);
  });

  it('counts per kind for the menu, from the server', async () => {
    const counts = await api('GET', '/api/v1/tasks/counts', { token: token('center') });
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual({ today: '2024-11-20', open: 8, overdue: 8, dueToday: 0, byKind: [{ kind: 'review', open: 8, overdue: 8, dueToday: 0 }] });
    const finance = await api('GET', '/api/v1/tasks/counts', { token: token('finance') });
    expect(finance.body.byKind).toEqual([{ kind: 'disburse', open: 1, overdue: 1, dueToday: 0 }]);
    app.clock.set('2024-10-20T02:00:00Z');
    const dueToday = await api('GET', '/api/v1/tasks/counts', { token: token('finance') });
    app.clock.set('2024-11-20T02:00:00Z');
    expect(dueToday.body).toMatchObject({ today: '2024-10-20', open: 1, overdue: 0, dueToday: 1 });
  });

  it.each([
    ['cursor', 'cursor=not-a-cursor'],
    ['cursor', `cursor=${Buffer.from(JSON.stringify({ dueDate: 'x', id: 'y' })).toString('base64url')}`],
    ['kind', 'kind=lunch'],
    ['item', 'item=14'],
    ['projectId', 'projectId=42'],
    ['limit', 'limit=0'],
  ])('a bad %s is a 400 problem naming it', async (field, query) => {
    const answer = await api('GET', `/api/v1/tasks?${query}`, { token: token('center') });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(answer.body.errors)).toContain(field);
  });
});

describe('GET /api/v1/projects: filters and keyset', () => {
  it('pages of 3 give every project once, newest first, as one page does', async () => {
    const whole = await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?limit=100', { token: token('center') });
    expect(whole.body.items).toHaveLength(11);
    const paged = await allPages<ProjectItem>('/api/v1/projects', token('center'), 3);
    expect(paged.items.map((p) => p.id)).toEqual(whole.body.items.map((p) => p.id));
    expect(new Set(paged.items.map((p) => p.id)).size).toBe(11);
  });

  it('filters by state, item and search, also across pages', async () => {
    const executing = await allPages<ProjectItem>('/api/v1/projects?state=executing', token('center'), 1);
    expect(executing.items.map((p) => p.id).sort()).toEqual([executingRed, executingGreen].sort());
    const item7 = await allPages<ProjectItem>('/api/v1/projects?item=7', token('center'), 2);
    expect(item7.items.map((p) => p.id).sort()).toEqual(review.filter((p) => p.item === 7).map((p) => p.id).sort());
    const search = await api<{ items: ProjectItem[] }>('GET', `/api/v1/projects?q=${encodeURIComponent('特色产业')}`, { token: token('center') });
    expect(search.body.items.map((p) => p.id)).toEqual([review[4]!.id]);
    const code = search.body.items[0]!.code;
    const byCode = await api<{ items: ProjectItem[] }>('GET', `/api/v1/projects?q=${code.slice(-6)}`, { token: token('center') });
    expect(byCode.body.items.map((p) => p.code)).toContain(code);
  });

  it('the 双监控 light is what the last daily check found: red for the lagging project, green for the other, none when not executing', async () => {
    const red = await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?light=red', { token: token('supervisor') });
    expect(red.body.items.map((p) => p.id)).toEqual([executingRed]);
    const green = await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?light=green', { token: token('supervisor') });
    expect(green.body.items.map((p) => p.id)).toEqual([executingGreen]);
    expect((await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?light=yellow', { token: token('supervisor') })).body.items).toEqual([]);
    const all = await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?limit=100', { token: token('supervisor') });
    expect(all.body.items.find((p) => p.id === review[0]!.id)!.light).toBeNull();
  });

  it('overdue: with an open task or an active deadline past due', async () => {
    const overdue = await allPages<ProjectItem>('/api/v1/projects?overdue=true', token('center'), 4);
    expect(overdue.items.map((p) => p.id)).toEqual(expect.arrayContaining(review.slice(0, 8).map((p) => p.id)));
    expect(overdue.items.map((p) => p.id)).not.toContain(review[8]!.id);
    const notOverdue = await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?overdue=false&limit=100', { token: token('center') });
    expect(notOverdue.body.items.every((p) => !p.overdue)).toBe(true);
    expect(overdue.items.length + notOverdue.body.items.length).toBe(11);
  });

  it("an applicant sees only their organisation's projects; another organisation's filter gives nothing", async () => {
    const own = await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?limit=100', { token: token('applicant') });
    expect(own.body.items.length).toBe(11);
    const other = await api<{ items: ProjectItem[] }>('GET', '/api/v1/projects?limit=100', { token: token('otherApplicant') });
    expect(other.body.items).toEqual([]);
    const asked = await api<{ items: ProjectItem[] }>('GET', `/api/v1/projects?orgId=${app.orgs.applicant}`, { token: token('otherApplicant') });
    expect(asked.body.items).toEqual([]);
  });

  it.each([
    ['light', 'light=blue'],
    ['overdue', 'overdue=yes'],
    ['cursor', 'cursor=%%%'],
    ['state', 'state=DROP%20TABLE'],
  ])('a bad %s is a 400 problem naming it', async (field, query) => {
    const answer = await api('GET', `/api/v1/projects?${query}`, { token: token('center') });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(answer.body.errors)).toContain(field);
  });
});

describe('GET /api/v1/organisations: the organisation filter', () => {
  it('lists the organisations that have projects, with how many; an applicant only their own', async () => {
    const staff = await api<{ items: { id: string; name: string; projects: number }[] }>('GET', '/api/v1/organisations', { token: token('supervisor') });
    expect(staff.status).toBe(200);
    expect(staff.body.items).toEqual([expect.objectContaining({ id: app.orgs.applicant, projects: 11 })]);
    const filtered = await api<{ items: ProjectItem[] }>('GET', `/api/v1/projects?orgId=${app.orgs.applicant}&limit=100`, { token: token('supervisor') });
    expect(filtered.body.items).toHaveLength(11);
    const other = await api<{ items: unknown[] }>('GET', '/api/v1/organisations', { token: token('otherApplicant') });
    expect(other.body.items).toEqual([]);
    expect((await api('GET', '/api/v1/organisations')).status).toBe(401);
  });
});

describe('GET /api/v1/projects/by-code/{code}', () => {
  it('answers as the id does, with the same ETag', async () => {
    const byId = await api('GET', `/api/v1/projects/${review[2]!.id}`, { token: token('center') });
    const byCode = await api('GET', `/api/v1/projects/by-code/${byId.body.code}`, { token: token('center') });
    expect(byCode.status).toBe(200);
    expect(byCode.body).toEqual(byId.body);
    expect(byCode.headers.get('etag')).toBe(byId.headers.get('etag'));
  });

  it('404 for an unknown code and for a project the applicant may not see; 400 for what is not a code', async () => {
    expect((await api('GET', '/api/v1/projects/by-code/YC-2099-05-999', { token: token('center') })).status).toBe(404);
    const code = (await api('GET', `/api/v1/projects/${review[2]!.id}`, { token: token('center') })).body.code;
    const hidden = await api('GET', `/api/v1/projects/by-code/${code}`, { token: token('otherApplicant') });
    expect(hidden.status).toBe(404);
    expect((await api('GET', `/api/v1/projects/by-code/${code}`, { token: token('applicant') })).status).toBe(200);
    const bad = await api('GET', '/api/v1/projects/by-code/not-a-code', { token: token('center') });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('code');
  });
});

describe("GET /api/v1/projects/{id}/tasks: a project's open tasks and who holds them", () => {
  interface ProjectTasks {
    items: { id: string; kind: string; role: string; dueDate: string; overdue: boolean; assigned: boolean; holders: { name: string; role: string; orgName: string | null }[]; holderCount: number }[];
  }

  it('staff see every open task by due date with its holders by name, role and organisation', async () => {
    const answer = await api<ProjectTasks>('GET', `/api/v1/projects/${review[0]!.id}/tasks`, { token: token('inspector') });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((task) => [task.kind, task.role, task.dueDate, task.overdue])).toEqual([
      ['review', 'center', '2024-10-01', true],
      ['disburse', 'finance', '2024-10-20', true],
    ]);
    const reviewTask = answer.body.items[0]!;
    expect(reviewTask.holderCount).toBe(2);
    expect(reviewTask.holders.map((holder) => holder.name).sort()).toEqual(['center 用户', '第二位中心用户'].sort());
    expect(reviewTask.holders[0]!.orgName).toBeTruthy();
    expect(JSON.stringify(answer.body)).not.toContain('@yc.test');
  });

  it('an assigned task is held by its one assignee', async () => {
    const answer = await api<ProjectTasks>('GET', `/api/v1/projects/${review[8]!.id}/tasks`, { token: token('center') });
    expect(answer.body.items).toHaveLength(1);
    expect(answer.body.items[0]).toMatchObject({ assigned: true, holderCount: 1, holders: [{ name: '第二位中心用户', role: 'center' }] });
  });

  it('the applicant sees what the project waits for (role, due date) but not the staff by name; others get 404', async () => {
    const own = await api<ProjectTasks>('GET', `/api/v1/projects/${review[0]!.id}/tasks`, { token: token('applicant') });
    expect(own.status).toBe(200);
    expect(own.body.items.map((task) => task.role)).toEqual(['center', 'finance']);
    expect(own.body.items.every((task) => task.holders.length === 0)).toBe(true);
    expect((await api('GET', `/api/v1/projects/${review[0]!.id}/tasks`, { token: token('otherApplicant') })).status).toBe(404);
    expect((await api('GET', '/api/v1/projects/not-an-id/tasks', { token: token('center') })).status).toBe(400);
  });
});

describe('allowedEvents after guards', () => {
  it('offers the amendment decisions to finance only while an amendment waits; sent anyway, the guard says why in Chinese', async () => {
    const before = await api('GET', `/api/v1/projects/${executingGreen}`, { token: token('finance') });
    expect(before.body.allowedEvents).not.toContain('APPROVE_AMENDMENT');
    expect(before.body.allowedEvents).not.toContain('REJECT_AMENDMENT');
    const refused = await api('POST', `/api/v1/projects/${executingGreen}/events`, { token: token('finance'), body: { type: 'APPROVE_AMENDMENT' } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('没有待审核的绩效目标变更');
    const targets = before.body.context.proposal.targets;
    await send(executingGreen, 'center', 'AMEND_TARGETS', { targets, reason: '调整口径' });
    const after = await api('GET', `/api/v1/projects/${executingGreen}`, { token: token('finance') });
    expect(after.body.allowedEvents).toEqual(expect.arrayContaining(['APPROVE_AMENDMENT', 'REJECT_AMENDMENT']));
  });
});
