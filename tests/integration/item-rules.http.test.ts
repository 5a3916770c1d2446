import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApplicantUser } from '../../src/admin/standard-directory.ts';
import { issueLink, openTask } from '../../src/store/tasks.store.ts';
import { addOrganisation } from '../../src/store/users.store.ts';
import { driveTo } from '../support/drive.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { apiClient, sampleProposal, startTestApp, type TestApp } from '../support/test-app.ts';
import { uploadSampleOverHttp } from '../support/materials.ts';

/**
 * Per-item rules and 就高不重复 against this system's own projects, through the HTTP API and the
 * real engine and database (the pure rules have their table tests in tests/unit/item-rules.test.ts).
 */
let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function codeFrom(body17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const sum = [...body17].reduce((acc, char, i) => acc + alphabet.indexOf(char) * (3 ** i % 31), 0);
  return body17 + alphabet[(31 - (sum % 31)) % 31];
}

const event = async (id: string, token: string, body: Record<string, unknown>) => {
  // A proposal goes in with its 申报书 and 预算明细 (config/required-materials.ts), uploaded by the same applicant.
  if (body.type === 'SUBMIT') for (const kind of ['proposal', 'budget'] as const) await uploadSampleOverHttp(app.baseUrl, token, id, kind);
  return api('POST', `/api/v1/projects/${id}/events`, { token, body });
};

async function enterprise(body17: string): Promise<{ code: string; token: string }> {
  const code = codeFrom(body17);
  const org = await addOrganisation(app.db, { name: `阳城某科技有限公司-${randomUUID()}`, kind: 'enterprise', creditCode: code });
  const { token } = await addApplicantUser(app.db, org.id, `ent-${randomUUID()}@yc.test`, '企业申报人');
  return { code, token };
}

async function propose(token: string, overrides: Record<string, unknown>): Promise<string> {
  const created = await api('POST', '/api/v1/projects', { token, body: sampleProposal(overrides) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

async function submitAndApproveAtCenter(id: string, token: string): Promise<void> {
  const submitted = await event(id, token, { type: 'SUBMIT' });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  expect((await event(id, app.users.center.token, { type: 'APPROVE' })).status).toBe(200);
}

describe('预算明细 at SUBMIT', () => {
  it('refuses lines that do not add up to the request, naming both sums in Chinese; then the corrected lines pass', async () => {
    const id = await propose(app.users.applicant.token, {
      item: 4,
      requestedFen: 5_000_000,
      budgetLines: [{ category: 'publicity-media', description: '电视专题片', amountFen: 4_000_000 }],
    });
    const refused = await event(id, app.users.applicant.token, { type: 'SUBMIT' });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals.map((r: { code: string }) => r.code)).toEqual(['budget-lines-not-requested']);
    expect(refused.body.detail).toContain('预算明细合计 40,000.00 元，与申请金额 50,000.00 元 不一致');
    const project = await api('GET', `/api/v1/projects/${id}`, { token: app.users.applicant.token });
    const fixed = await api('POST', `/api/v1/projects/${id}/events`, {
      token: app.users.applicant.token,
      body: {
        type: 'UPDATE_PROPOSAL',
        budgetLines: [
          { category: 'publicity-media', description: '电视专题片', amountFen: 4_000_000 },
          { category: 'publicity-media', description: '短视频', amountFen: 1_000_000 },
        ],
      },
      headers: { 'If-Match': `"${project.body.version}"` },
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect((await event(id, app.users.applicant.token, { type: 'SUBMIT' })).status).toBe(200);
  });

  it('refuses a cost outside the item’s 开支范围, and a training fee above the county standard', async () => {
    const outside = await propose(app.users.applicant.token, {
      item: 1,
      requestedFen: 1_000_000,
      budgetLines: [{ category: 'training', description: '平台操作培训', amountFen: 1_000_000, persons: 100, days: 1 }],
    });
    const scope = await event(outside, app.users.applicant.token, { type: 'SUBMIT' });
    expect(scope.body.refusals[0].code).toBe('budget-line-out-of-scope');
    const expensive = await propose(app.users.applicant.token, {
      item: 5,
      requestedFen: 1_000_000,
      budgetLines: [{ category: 'training', description: '经营管理人才培训', amountFen: 1_000_000, persons: 10, days: 2 }],
    });
    const caps = await event(expensive, app.users.applicant.token, { type: 'SUBMIT' });
    expect(caps.body.refusals[0].code).toBe('training-above-person-day-cap');
  });
});

describe('item 12: the enterprise type comes from the beneficiary registry', () => {
  it('refuses an enterprise not in the registry, then passes once it is registered as 科技型中小企业', async () => {
    const firm = await enterprise('91140522MA0K12001');
    const id = await propose(firm.token, { item: 12, requestedFen: 3_000_000 });
    const refused = await event(id, firm.token, { type: 'SUBMIT' });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals[0].code).toBe('enterprise-type-unknown');
    const registered = await api('POST', '/api/v1/beneficiaries', {
      token: app.users.center.token,
      body: { creditCode: firm.code, name: '阳城某科技有限公司', qualifications: ['tech-sme'] },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBeLessThan(300);
    expect((await event(id, firm.token, { type: 'SUBMIT' })).status).toBe(200);
  });
});

describe('item 13: the decision of 县政府 or 县创建领导组 at the final approval', () => {
  it('refuses the last step without the 会议纪要, accepts it with one and keeps it in the audit trail', async () => {
    const id = await propose(app.users.applicant.token, { item: 13, requestedFen: 2_000_000 });
    await submitAndApproveAtCenter(id, app.users.applicant.token);
    expect((await event(id, app.users.finance.token, { type: 'APPROVE' })).status).toBe(200);
    const refused = await event(id, app.users.leadership.token, { type: 'APPROVE' });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals[0].code).toBe('decision-reference-missing');
    const decisionReference = { body: 'leadership-group', number: '阳创领纪〔2024〕5号', date: '2024-10-01' };
    const approved = await event(id, app.users.leadership.token, { type: 'APPROVE', decisionReference });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const history = await api('GET', `/api/v1/projects/${id}/history`, { token: app.users.center.token });
    const last = history.body.events.filter((e: { type: string }) => e.type === 'APPROVE').at(-1);
    expect(last.payload.decisionReference).toEqual(decisionReference);
  });
});

describe('就高不重复 against this system’s own projects', () => {
  it('the same enterprise, item and year: the second approval only tops up; the keys are audited', async () => {
    const firm = await enterprise('91140522MA0K08001');
    const first = await propose(firm.token, { item: 8, requestedFen: 4_000_000 });
    await submitAndApproveAtCenter(first, firm.token);
    const approvedFirst = await event(first, app.users.finance.token, { type: 'APPROVE' });
    expect(approvedFirst.status, JSON.stringify(approvedFirst.body)).toBe(200);

    const second = await propose(firm.token, { item: 8, requestedFen: 10_000_000, title: '数字化转型诊断（二期）' });
    await submitAndApproveAtCenter(second, firm.token);
    const topUp = await event(second, app.users.finance.token, { type: 'APPROVE' });
    expect(topUp.status, JSON.stringify(topUp.body)).toBe(200);
    expect(topUp.body.context.committedFen).toBe(6_000_000);
    const history = await api('GET', `/api/v1/projects/${second}/history`, { token: app.users.center.token });
    const final = history.body.events.filter((e: { type: string }) => e.type === 'APPROVE').at(-1);
    expect(final.payload.overlapDecision.outcome).toBe('top-up');
    expect(final.payload.overlapDecision.reason).toContain('本系统已批准项目');
    expect(final.payload.overlapKeys).toMatchObject({ beneficiaryCode: firm.code, year: 2024 });

    // A third for the same matter: the first two already stand for 10,000,000 fen, as much as it asks.
    const third = await propose(firm.token, { item: 8, requestedFen: 10_000_000, title: '数字化转型诊断（三期）' });
    await submitAndApproveAtCenter(third, firm.token);
    const refused = await event(third, app.users.finance.token, { type: 'APPROVE' });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals[0].code).toBe('overlap-refused');
  });

  it('a shared invoice number in the budget lines is found across applicants and items', async () => {
    const invoice = `FP-${randomUUID().slice(0, 8)}`;
    const first = await propose(app.users.applicant.token, {
      item: 4,
      requestedFen: 2_000_000,
      budgetLines: [{ category: 'publicity-media', description: '宣传片', amountFen: 2_000_000, invoiceNumber: invoice }],
    });
    await submitAndApproveAtCenter(first, app.users.applicant.token);
    expect((await event(first, app.users.finance.token, { type: 'APPROVE' })).status).toBe(200);

    const second = await propose(app.users.otherApplicant.token, {
      item: 3,
      requestedFen: 2_000_000,
      invoiceNumbers: [` ${invoice.toLowerCase()} `],
    });
    await submitAndApproveAtCenter(second, app.users.otherApplicant.token);
    const refused = await event(second, app.users.finance.token, { type: 'APPROVE' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("本系统已批准项目");
  });
});

describe('the email-link page shows the basis and takes item 13’s decision', () => {
  const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' };

  async function linkFor(projectId: string, version: number, kind: string, role: 'leadership' | 'finance' | 'center') {
    const task = await openTask(app.db, { projectId, seq: version, kind, role, step: null, orgId: null, dueDate: '2030-01-01', now: app.clock.now() });
    return issueLink(app.db, { taskId: task.id, userId: app.users[role].id, expiresAt: new Date(app.clock.now().getTime() + 7 * 86_400_000), now: app.clock.now() });
  }

  async function open(token: string) {
    const response = await fetch(`${app.baseUrl}/t/${token}`, { headers: { ...BROWSER, cookie: 'seen=1' } });
    const html = await response.text();
    return { html, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, nonce: /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '' };
  }

  async function post(token: string, form: Record<string, string>, cookie: string) {
    const response = await fetch(`${app.baseUrl}/t/${token}`, {
      method: 'POST',
      headers: { ...BROWSER, 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, html: await response.text() };
  }

  it('item 13 at the leadership step: the form asks for the 会议纪要; without it the rule refuses, with it the link approves', async () => {
    const id = await propose(app.users.applicant.token, { item: 13, requestedFen: 1_500_000 });
    await submitAndApproveAtCenter(id, app.users.applicant.token);
    const atFinance = await event(id, app.users.finance.token, { type: 'APPROVE' });
    expect(atFinance.status).toBe(200);
    const token = await linkFor(id, atFinance.body.version, 'review', 'leadership');
    const page = await open(token);
    expect(page.html).toContain('会议纪要文号');
    expect(page.html).toContain('须有县政府或县创建领导组的决定');
    expect(page.html).toContain('预算明细');
    const refused = await post(token, { decision: 'approve', nonce: page.nonce }, page.cookie);
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('会议纪要');
    const again = await open(token);
    const approved = await post(
      token,
      { decision: 'approve', nonce: again.nonce, decisionBody: 'county-government', decisionNumber: '县长办公会议纪要〔2024〕37号', decisionDate: '2024-09-19' },
      again.cookie,
    );
    expect(approved.status, approved.html).toBe(200);
    const history = await api('GET', `/api/v1/projects/${id}/history`, { token: app.users.center.token });
    expect(history.body.events.at(-1).payload.decisionReference).toEqual({ body: 'county-government', number: '县长办公会议纪要〔2024〕37号', date: '2024-09-19' });
  });

  it('item 13 through the inbox API: the task names its item, and the decision carries the 会议纪要', async () => {
    const id = await propose(app.users.applicant.token, { item: 13, requestedFen: 1_000_000 });
    await submitAndApproveAtCenter(id, app.users.applicant.token);
    const atFinance = await event(id, app.users.finance.token, { type: 'APPROVE' });
    const task = await openTask(app.db, { projectId: id, seq: atFinance.body.version, kind: 'review', role: 'leadership', step: null, orgId: null, dueDate: '2030-01-01', now: app.clock.now() });
    const mine = (await api('GET', '/api/v1/tasks', { token: app.users.leadership.token })).body.items.find((t: { id: string }) => t.id === task.id);
    expect(mine).toMatchObject({ item: 13, role: 'leadership', kind: 'review' });
    const refused = await api('POST', `/api/v1/tasks/${task.id}/decision`, { token: app.users.leadership.token, body: { decision: 'approve' } });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals[0].code).toBe('decision-reference-missing');
    const decisionReference = { body: 'leadership-group', number: '阳创领纪〔2024〕9号', date: '2024-10-07' };
    const approved = await api('POST', `/api/v1/tasks/${task.id}/decision`, { token: app.users.leadership.token, body: { decision: 'approve', decisionReference } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.state).toBe('approved');
  });

  it('a disbursement task shows 批准金额, 已拨付金额 and 剩余可拨付额度', async () => {
    const project = await driveTo(app, 'executing', { requestedFen: 3_000_000 });
    const token = await linkFor(project.id, project.version, 'disburse', 'finance');
    const page = await open(token);
    expect(page.html).toContain('批准金额</th><td>30,000.00 元');
    expect(page.html).toContain('已拨付金额</th><td>10,000.00 元');
    expect(page.html).toContain('剩余可拨付额度</th><td>20,000.00 元');
  });

  it('a review task shows the overlap with this system’s own approval before anyone decides', async () => {
    const firm = await enterprise('91140522MA0K08777');
    const first = await propose(firm.token, { item: 8, requestedFen: 2_000_000 });
    await submitAndApproveAtCenter(first, firm.token);
    expect((await event(first, app.users.finance.token, { type: 'APPROVE' })).status).toBe(200);
    const second = await propose(firm.token, { item: 8, requestedFen: 5_000_000, title: '数字化转型诊断（续）' });
    const submitted = await event(second, firm.token, { type: 'SUBMIT' });
    const token = await linkFor(second, submitted.body.version, 'review', 'center');
    const page = await open(token);
    expect(page.html).toContain('已有较低的支持，只能补足差额');
    expect(page.html).toContain('重复支持线索');
    expect(page.html).toContain('同一受益单位、同一支持事项（第 8 项）、同一年度（2024）');
  });
});
