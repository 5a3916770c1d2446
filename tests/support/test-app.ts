import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { RequiredMaterials } from '../../config/required-materials.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { budgetLineCovering } from '../../src/domain/item-rules.ts';
import { addApplicantUser, addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import { createApp } from '../../src/http/app.ts';
import type { Database } from '../../src/store/database.ts';
import { createFund } from '../../src/store/ledger.store.ts';
import { addOrganisation } from '../../src/store/users.store.ts';
import { TestClock } from './clock.ts';

export type StaffRole = 'center' | 'finance' | 'leadership' | 'inspector' | 'supervisor' | 'evaluator' | 'authority' | 'admin';

export interface TestApp {
  baseUrl: string;
  db: Database;
  clock: TestClock;
  engine: EngineDeps;
  users: Record<StaffRole | 'applicant' | 'otherApplicant', DirectoryUser>;
  orgs: { applicant: string; other: string };
  close: () => Promise<void>;
}

/** A real HTTP server on a free port over the given database, with one user per role. */
export async function startTestApp(
  db: Database,
  options: { rules?: LifecycleRules; fundFen?: number; requiredMaterials?: RequiredMaterials } = {},
): Promise<TestApp> {
  const rules = options.rules ?? DEFAULT_LIFECYCLE_RULES;
  const clock = new TestClock();
  const engine: EngineDeps = {
    db,
    machine: createProjectMachine(rules),
    rules,
    countyCode: 'YC',
    now: clock.now,
    ...(options.requiredMaterials ? { requiredMaterials: options.requiredMaterials } : {}),
  };
  const orgs = await ensureStandardOrganisations(db);
  const unit = await addOrganisation(db, { name: `阳城县润城镇人民政府-${Math.random()}`, kind: 'unit' });
  const other = await addOrganisation(db, { name: `阳城县某科技有限公司-${Math.random()}`, kind: 'enterprise' });
  const staff = ['center', 'finance', 'leadership', 'inspector', 'supervisor', 'evaluator', 'authority', 'admin'] as const;
  const users = {} as TestApp['users'];
  for (const role of staff) users[role] = await addStaffUser(db, orgs, role, `${role}-${Math.random()}@yc.test`, `${role} 用户`);
  users.applicant = await addApplicantUser(db, unit.id, `applicant-${Math.random()}@yc.test`, '申报人');
  users.otherApplicant = await addApplicantUser(db, other.id, `other-${Math.random()}@yc.test`, '他人');
  await createFund(
    db,
    { sourceDocument: '晋企发〔2023〕1号', name: '示范县奖励资金', amountFen: options.fundFen ?? 1_000_000_000, receivedOn: '2024-09-01', categoryCeilingsFen: {}, itemCeilingsFen: {} },
    users.admin.id,
    clock.now().toISOString(),
  );
  const { app } = createApp({
    engine,
    publicUrl: 'http://localhost',
    bodyLimit: '256kb',
    tokenCacheSeconds: 0,
    linkSecret: 'test-link-secret-0123456789abcdef0123',
    logError: (error) => console.error('unexpected', error),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    clock,
    engine,
    users,
    orgs: { applicant: unit.id, other: other.id },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small JSON client for the tests. */
export function apiClient(baseUrl: string) {
  return async function api<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
}

export const sampleTargets = [
  { id: 'OUT1', level: '产出', subLevel: '数量', name: '举办培训场次', unit: '场', comparator: '>=', targetValue: 10, weight: 40 },
  { id: 'OUT2', level: '产出', subLevel: '时效', name: '完成时间', unit: '天', comparator: '<=', targetValue: 180, weight: 20 },
  { id: 'EFF1', level: '效益', subLevel: '社会效益', name: '受益企业数', unit: '家', comparator: '>=', targetValue: 100, weight: 30 },
  { id: 'SAT1', level: '满意度', subLevel: '服务对象满意度', name: '参训企业满意度', unit: '%', comparator: 'qualitative', weight: 10 },
];

export function sampleProposal(overrides: Record<string, unknown> = {}) {
  const base = {
    title: '2024年中小企业经营管理人才培训',
    item: 5,
    requestedFen: 12_000_000,
    periodStart: '2024-10-01',
    periodEnd: '2025-09-30',
    targets: sampleTargets,
    ...overrides,
  };
  return {
    // 预算明细 adding up to the requested amount, within the item's 开支范围 (SUBMIT checks both).
    budgetLines: [budgetLineCovering(base.item, base.requestedFen, DEFAULT_LIFECYCLE_RULES.items)],
    ...(DEFAULT_LIFECYCLE_RULES.items.listingItems.includes(base.item) ? { listing: SAMPLE_LISTING } : {}),
    ...base,
  };
}

/** Item 11: a listing announced before any test's clock. */
export const SAMPLE_LISTING = { board: 'neeq', announcementRef: '股转公告〔2024〕118号', announcementDate: '2024-06-28' } as const;
