import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

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

const VALID_CODE = '91350100M000100Y43';

/** Computes a valid credit code from 17 characters (GB 32100-2015), for distinct beneficiaries. */
function codeFrom(body17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const sum = [...body17].reduce((acc, char, i) => acc + alphabet.indexOf(char) * (3 ** i % 31), 0);
  return body17 + alphabet[(31 - (sum % 31)) % 31];
}

describe('the beneficiary registry', () => {
  it.each([
    ['a changed check character', '91350100M000100Y44', /check character/],
    ['a character outside the set', '91350100M000100I43', /outside the set/],
    ['lower case', '91350100m000100Y43', /outside the set/],
    ['a wrong length', '91350100M000100Y4', /18 characters/],
  ])('refuses %s with a 400 naming creditCode', async (_name, creditCode, message) => {
    const response = await api('POST', '/api/v1/beneficiaries', { token: app.users.center.token, body: { creditCode, name: '某公司' } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'creditCode', message: expect.stringMatching(message) });
  });

  it('orders the listing reserve list with provincial level and above first', async () => {
    const entries = [
      { creditCode: codeFrom('91140522MA0000001'), name: '创新型甲', qualifications: ['innovative-sme'], listingReserveSince: '2024-01-01' },
      { creditCode: codeFrom('91140522MA0000002'), name: '省级乙', qualifications: ['provincial-specialized'], listingReserveSince: '2024-06-01' },
      { creditCode: codeFrom('91140522MA0000003'), name: '小巨人丙', qualifications: ['national-little-giant'], listingReserveSince: '2024-09-01' },
    ];
    for (const entry of entries) {
      const response = await api('POST', '/api/v1/beneficiaries', { token: app.users.center.token, body: { ...entry, listingReserve: true } });
      expect(response.status).toBe(201);
    }
    const list = await api('GET', '/api/v1/beneficiaries/listing-reserve', { token: app.users.finance.token });
    expect(list.body.items.map((item: { name: string }) => item.name)).toEqual(['小巨人丙', '省级乙', '创新型甲']);
    expect(list.body.items[1]).toMatchObject({ rank: 2, provincialOrAbove: true });
  });
});

describe('就高不重复 at the final approval', () => {
  beforeAll(async () => {
    // A 高新技术企业 in the registry: item 12 supports only the enterprise types the plan names.
    await api('POST', '/api/v1/beneficiaries', { token: app.users.center.token, body: { creditCode: VALID_CODE, name: '阳城某科技公司', qualifications: ['high-tech'] } });
  });

  async function reviewAtFinance(proposal: Record<string, unknown>) {
    const project = await driveTo(app, 'proposed.review', proposal);
    const center = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.center.token, body: { type: 'APPROVE' } });
    expect(center.status).toBe(200);
    return project.id;
  }

  it('shows reviewers the overlap and refuses when the other award is higher or equal', async () => {
    await api('POST', `/api/v1/beneficiaries/${VALID_CODE}/prior-support`, {
      token: app.users.finance.token,
      body: { policy: '晋城市专精特新奖励', level: 'municipal', year: 2024, item: 11, amountFen: 20_000_000, contractNumbers: ['HT-2024-001'] },
    });
    const check = await api('POST', '/api/v1/overlap-check', {
      token: app.users.center.token,
      body: { beneficiaryCreditCode: VALID_CODE, item: 11, year: 2024, requestedFen: 12_000_000 },
    });
    expect(check.status).toBe(200);
    expect(check.body.decision.outcome).toBe('refuse');
    expect(check.body.overlaps[0].reasons).toContain('same-beneficiary-item-year');

    const id = await reviewAtFinance({ item: 11, beneficiaryCreditCode: VALID_CODE, requestedFen: 12_000_000 });
    const approve = await api('POST', `/api/v1/projects/${id}/events`, { token: app.users.finance.token, body: { type: 'APPROVE' } });
    expect(approve.status).toBe(422);
    expect(approve.body.detail).toMatch(/就高不重复/);
  });

  it('pays only the difference when the other award is lower, and keeps the decision in the audit trail', async () => {
    await api('POST', `/api/v1/beneficiaries/${VALID_CODE}/prior-support`, {
      token: app.users.finance.token,
      body: { policy: '县科技局研发补助', level: 'county', year: 2024, amountFen: 3_000_000, invoiceNumbers: ['FP 0001'] },
    });
    // Shares an invoice number (written differently) with the county award; a different item and year.
    const id = await reviewAtFinance({ item: 12, beneficiaryCreditCode: VALID_CODE, requestedFen: 10_000_000, periodStart: '2025-01-01', periodEnd: '2025-12-31', invoiceNumbers: ['fp0001'] });
    const tooMuch = await api('POST', `/api/v1/projects/${id}/events`, { token: app.users.finance.token, body: { type: 'APPROVE', approvedFen: 8_000_000 } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.detailEn).toMatch(/only the difference of 7000000 fen/);
    const approved = await api('POST', `/api/v1/projects/${id}/events`, { token: app.users.finance.token, body: { type: 'APPROVE' } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.context.committedFen).toBe(7_000_000);
    const history = await api('GET', `/api/v1/projects/${id}/history`, { token: app.users.finance.token });
    const final = history.body.events.at(-1);
    expect(final.payload.overlapDecision).toMatchObject({ outcome: 'top-up', approvableFen: 7_000_000 });
    expect(final.payload.overlapDecision.reason).toMatch(/县科技局研发补助/);
  });
});

describe('tranche rules through HTTP', () => {
  it('a later tranche without a report or on-track inspection is refused, naming the rule', async () => {
    const project = await driveTo(app, 'executing');
    const refused = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.finance.token, body: { type: 'DISBURSE', amountFen: 1_000 } });
    expect(refused.status).toBe(422);
    expect(refused.body.refusals.map((r: { code: string }) => r.code)).toEqual(['later-tranche-needs-inspection-or-report']);
    app.clock.advanceDays(1);
    const report = await api('POST', `/api/v1/projects/${project.id}/events`, {
      token: app.users.applicant.token,
      body: { type: 'REPORT_PROGRESS', periodStart: '2024-10-01', periodEnd: '2024-10-31' },
    });
    expect(report.status).toBe(200);
    const paid = await api('POST', `/api/v1/projects/${project.id}/events`, {
      token: app.users.finance.token,
      body: await withMaterialsOverHttp(app, project.id, { type: 'DISBURSE', amountFen: 1_000 }),
    });
    expect(paid.status).toBe(200);
  });

  it('every tranche is held while the project is suspended', async () => {
    const project = await driveTo(app, 'suspended.held');
    const refused = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.finance.token, body: { type: 'DISBURSE', amountFen: 1_000 } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'event-not-allowed', state: 'suspended.held' });
  });
});
