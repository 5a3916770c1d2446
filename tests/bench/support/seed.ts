import { randomUUID } from 'node:crypto';
import { DEFAULT_LIFECYCLE_RULES } from '../../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../../machines/project.machine.ts';
import { createProjectSchema, eventPayloadSchemas, type ProjectEventType } from '../../../machines/project.schemas.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { addApplicantUser, addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../../src/admin/standard-directory.ts';
import { GENESIS_HASH, hashAuditRecord, verifyChain, type AuditRecord } from '../../../src/domain/audit-chain.ts';
import { applyEvent } from '../../../src/engine/apply-event.ts';
import { attachMissingMaterials } from '../../../src/usecases/attachments/attach-missing-materials.ts';
import { demoFileOf } from '../../../src/usecases/demo/demo-materials.ts';
import { createProject } from '../../../src/engine/create-project.ts';
import type { EngineDeps } from '../../../src/engine/engine-deps.ts';
import type { Database } from '../../../src/store/database.ts';
import { listProjectEvents, type EventRow } from '../../../src/store/projects.store.ts';
import { createFund } from '../../../src/store/ledger.store.ts';
import { addOrganisation } from '../../../src/store/users.store.ts';

export interface BenchUsers {
  applicant: DirectoryUser;
  center: DirectoryUser;
  finance: DirectoryUser;
  leadership: DirectoryUser;
  applicantOrgId: string;
  /** A received fund big enough for every clone's commitment. */
  fundId: string;
}

export const actorOf = (user: DirectoryUser): Actor => ({ userId: user.id, role: user.role, orgId: user.orgId });

/** The standing organisations, one applicant unit with its user, and the staff the approval chain needs. */
export async function seedUsers(db: Database): Promise<BenchUsers> {
  const orgs = await ensureStandardOrganisations(db);
  const unit = await addOrganisation(db, { name: '阳城县润城镇人民政府（基准测试）', kind: 'unit' });
  const finance = await addStaffUser(db, orgs, 'finance', 'finance@bench.test', '财政局');
  const fundId = await createFund(
    db,
    {
      sourceDocument: '晋财企〔2024〕基准测试号',
      name: '中小企业发展专项资金（基准测试）',
      amountFen: 100_000_000_000_000, // 1e14 fen: room for a million clones of 12,000,000 fen
      receivedOn: '2024-01-15',
      categoryCeilingsFen: {},
      itemCeilingsFen: {},
    },
    finance.id,
    '2024-01-15T02:00:00Z',
  );
  return {
    applicant: await addApplicantUser(db, unit.id, 'applicant@bench.test', '申报人'),
    center: await addStaffUser(db, orgs, 'center', 'center@bench.test', '中心审核人'),
    finance,
    leadership: await addStaffUser(db, orgs, 'leadership', 'leadership@bench.test', '领导组'),
    applicantOrgId: unit.id,
    fundId,
  };
}

export const BENCH_PROPOSAL = {
  title: '2024年中小企业经营管理人才培训',
  item: 5,
  requestedFen: 12_000_000,
  periodStart: '2024-10-01',
  periodEnd: '2025-09-30',
  targets: [
    { id: 'OUT1', level: '产出', subLevel: '数量', name: '举办培训场次', unit: '场', comparator: '>=', targetValue: 10, weight: 40 },
    { id: 'OUT2', level: '产出', subLevel: '时效', name: '完成时间', unit: '天', comparator: '<=', targetValue: 180, weight: 20 },
    { id: 'EFF1', level: '效益', subLevel: '社会效益', name: '受益企业数', unit: '家', comparator: '>=', targetValue: 100, weight: 30 },
    { id: 'SAT1', level: '满意度', subLevel: '服务对象满意度', name: '参训企业满意度', unit: '%', comparator: 'qualitative', weight: 10 },
  ],
  // 预算明细: 120,000 元 of training fees for 134 persons × 2 days in 2 sessions (within item 5's caps).
  budgetLines: [{ category: 'training', description: '培训费', amountFen: 12_000_000, persons: 134, days: 2, sessions: 2 }],
};

/** Engine deps for the seeding done in this process (a fixed clock: the template's history is reproducible). */
export function seedingEngine(db: Database): EngineDeps {
  const rules = DEFAULT_LIFECYCLE_RULES;
  return { db, machine: createProjectMachine(rules), rules, countyCode: 'YC', now: () => new Date('2024-10-08T02:00:00Z') };
}

/** One real executing project, through the real engine: propose, submit, two approvals, the first tranche. */
export async function createTemplateProject(deps: EngineDeps, users: BenchUsers): Promise<string> {
  const created = await createProject(deps, actorOf(users.applicant), createProjectSchema.parse(BENCH_PROPOSAL), 'api');
  const projectId = created.body.id;
  const send = async (user: DirectoryUser, type: ProjectEventType, body: Record<string, unknown> = {}) => {
    const payload = eventPayloadSchemas[type].parse(body) as Record<string, unknown>;
    // The materials the event needs (config/required-materials.ts), as the applicant brings them.
    await attachMissingMaterials(deps, {
      projectId,
      item: BENCH_PROPOSAL.item,
      type,
      payload,
      uploaderOf: () => actorOf(users.applicant),
      fileOf: (kind) => demoFileOf(kind, `bench template ${type}`),
      channel: 'api',
    });
    return applyEvent(deps, { projectId, actor: actorOf(user), channel: 'api', type, payload });
  };
  await send(users.applicant, 'SUBMIT');
  await send(users.center, 'APPROVE', { comment: '材料齐全' });
  const approved = await send(users.finance, 'APPROVE', { fundId: users.fundId });
  if (approved.body.state !== 'approved') {
    throw new Error(`template: expected approved after the finance approval, got ${approved.body.state} (the approval chain changed?)`);
  }
  const executing = await send(users.finance, 'DISBURSE', { amountFen: 6_000_000, voucher: 'GKZF-2024-000001' });
  if (executing.body.state !== 'executing') throw new Error(`template: expected executing, got ${executing.body.state}`);
  return projectId;
}

function recordOf(row: EventRow): AuditRecord {
  return {
    projectId: row.project_id,
    seq: row.seq,
    eventType: row.event_type,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    channel: row.channel,
    fromState: row.from_state,
    toState: row.to_state,
    payload: row.payload,
    reason: row.reason,
    occurredAt: new Date(row.occurred_at).toISOString(),
    prevHash: row.prev_hash,
  };
}

/** Re-reads a project's trail and checks its hash chain, as `audit:verify` does. */
export async function verifyProjectChain(db: Database, projectId: string): Promise<{ ok: boolean; checked: number; problem?: string }> {
  const records = (await listProjectEvents(db, projectId)).map((row) => ({ ...recordOf(row), hash: row.hash }));
  const check = verifyChain(records);
  return check.ok ? { ok: true, checked: check.checked } : { ok: false, checked: check.checked, problem: `seq ${check.seq}: ${check.problem}` };
}

export interface Cloner {
  /** Adds `count` executing projects cloned from the template; returns their ids. */
  clone: (count: number, onProgress?: (done: number) => void) => Promise<string[]>;
  cloned: () => number;
  /** Time spent computing hashes in JS vs in the INSERT statements, for the record. */
  timings: () => { hashMs: number; sqlMs: number };
}

/**
 * Clones the template project in bulk: the projects row with its snapshot rewritten in SQL
 * (jsonb_set of context.projectId and context.code), and the template's whole audit trail with the
 * project id changed; each clone's chain is recomputed in JS with hashAuditRecord, so every clone
 * is a valid executing project whose last_hash chains and whose trail passes audit:verify.
 */
export async function templateCloner(db: Database, templateId: string, batchSize = 1000): Promise<Cloner> {
  const [template] = await db.query<{ code: string; snapshot: Record<string, unknown>; last_hash: string; item: number }>(
    'SELECT code, snapshot, last_hash, item FROM projects WHERE id = $1',
    [templateId],
  );
  if (!template) throw new Error('template project is missing');
  const snapshotText = JSON.stringify(template.snapshot);
  const occurrences = (needle: string) => snapshotText.split(needle).length - 1;
  // The rewrite below changes context.projectId and context.code; anything else naming the project would be stale.
  if (occurrences(templateId) !== 1 || occurrences(template.code) !== 1) {
    throw new Error(`template snapshot names the project ${occurrences(templateId)}x by id and ${occurrences(template.code)}x by code; the clone rewrite expects 1 each`);
  }
  const events = (await listProjectEvents(db, templateId)).map(recordOf);
  const templateCheck = await verifyProjectChain(db, templateId);
  if (!templateCheck.ok) throw new Error(`template chain does not verify: ${templateCheck.problem}`);

  // Frozen copies of the template as it is now: the template itself is one of the projects the
  // phases write to, and later clones must still start from its executing state at version 5.
  for (const [copy, source, key] of [
    ['bench_template_project', 'projects', 'id'],
    ['bench_template_events', 'project_events', 'project_id'],
    ['bench_template_balances', 'project_balances', 'project_id'],
    ['bench_template_ledger', 'ledger_entries', 'project_id'],
    ['bench_template_attachments', 'attachments', 'project_id'],
  ] as const) {
    await db.query(`DROP TABLE IF EXISTS ${copy}`);
    await db.query(`CREATE TABLE ${copy} AS SELECT * FROM ${source} WHERE ${key} = $1`, [templateId]);
  }

  // The ledger's balance tables this schema has (the ledger is young; its shape still moves).
  const balanceTables = new Set(
    (
      await db.query<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relname IN ('fund_balances', 'fund_category_balances', 'fund_item_balances')`,
      )
    ).map((row) => row.name),
  );

  const codePrefix = template.code.slice(0, template.code.lastIndexOf('-') + 1);
  let next = Number(template.code.slice(template.code.lastIndexOf('-') + 1)) + 1;
  let cloned = 0;
  let hashMs = 0;
  let sqlMs = 0;

  const insertBatch = async (ids: string[], codes: string[], lastHashes: string[], eventIds: string[], eventSeqs: number[], prevHashes: string[], hashes: string[]) => {
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO projects (id, code, org_id, item, title, requested_fen, state, machine_version, snapshot, version, last_hash,
                               created_at, updated_at, tags, fund_id, accepted_grade)
         SELECT u.id, u.code, t.org_id, t.item, t.title, t.requested_fen, t.state, t.machine_version,
                jsonb_set(jsonb_set(t.snapshot, '{context,projectId}', to_jsonb(u.id::text)), '{context,code}', to_jsonb(u.code)),
                t.version, u.last_hash, t.created_at, t.updated_at, t.tags, t.fund_id, t.accepted_grade
           FROM bench_template_project t CROSS JOIN unnest($2::uuid[], $3::text[], $4::text[]) AS u(id, code, last_hash)
          WHERE t.id = $1`,
        [templateId, ids, codes, lastHashes],
      );
      await tx.query(
        `INSERT INTO project_events (project_id, seq, event_type, actor_id, actor_role, channel, from_state, to_state, payload,
                                     reason, occurred_at, prev_hash, hash)
         SELECT u.id, e.seq, e.event_type, e.actor_id, e.actor_role, e.channel, e.from_state, e.to_state, e.payload,
                e.reason, e.occurred_at, u.prev_hash, u.hash
           FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[]) AS u(id, seq, prev_hash, hash)
           JOIN bench_template_events e ON e.project_id = $1 AND e.seq = u.seq`,
        [templateId, eventIds, eventSeqs, prevHashes, hashes],
      );
      // The template's ledger facts (its commitment and tranche), copied per clone, and the fund and
      // item balances moved by the same amounts, so the ledger's sums still match its entries.
      // The template's files: same blobs (content-addressed), a row per clone with the same id and audit seq (as its cloned ATTACH_FILE events name them).
      await tx.query(
        `INSERT INTO attachments (id, project_id, event_seq, kind, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at, audit_seq)
         SELECT a.id, u.id, a.event_seq, a.kind, a.file_name, a.media_type, a.size_bytes, a.sha256, a.uploaded_by, a.uploaded_at, a.audit_seq
           FROM bench_template_attachments a CROSS JOIN unnest($2::uuid[]) AS u(id)
          WHERE a.project_id = $1`,
        [templateId, ids],
      );
      await tx.query(
        `INSERT INTO project_balances (project_id, fund_id, item, committed_fen, disbursed_fen, released_fen, recovered_fen)
         SELECT u.id, b.fund_id, b.item, b.committed_fen, b.disbursed_fen, b.released_fen, b.recovered_fen
           FROM bench_template_balances b CROSS JOIN unnest($2::uuid[]) AS u(id)
          WHERE b.project_id = $1`,
        [templateId, ids],
      );
      await tx.query(
        `INSERT INTO ledger_entries (fund_id, kind, project_id, item, amount_fen, actor_id, event_type, event_seq, reason, occurred_at)
         SELECT e.fund_id, e.kind, u.id, e.item, e.amount_fen, e.actor_id, e.event_type, e.event_seq, e.reason, e.occurred_at
           FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, n) CROSS JOIN bench_template_ledger e
          WHERE e.project_id = $1
          ORDER BY u.n, e.id`,
        [templateId, ids],
      );
      const moved = (alias: string) =>
        ['committed_fen', 'disbursed_fen', 'released_fen', 'recovered_fen']
          .map((column) => `${column} = ${alias}.${column} + b.${column} * $2::bigint`)
          .join(', ');
      const balanceUpdates: Record<string, string> = {
        fund_balances: `UPDATE fund_balances f SET ${moved('f')} FROM bench_template_balances b
                          WHERE b.project_id = $1 AND f.fund_id = b.fund_id`,
        fund_category_balances: `UPDATE fund_category_balances f SET ${moved('f')}
                                   FROM bench_template_balances b JOIN fund_item_balances i ON i.fund_id = b.fund_id AND i.item = b.item
                                  WHERE b.project_id = $1 AND f.fund_id = b.fund_id AND f.category = i.category`,
        fund_item_balances: `UPDATE fund_item_balances f SET ${moved('f')} FROM bench_template_balances b
                               WHERE b.project_id = $1 AND f.fund_id = b.fund_id AND f.item = b.item`,
      };
      for (const [table, sql] of Object.entries(balanceUpdates)) {
        if (balanceTables.has(table)) await tx.query(sql, [templateId, ids.length]);
      }
    });
    sqlMs += performance.now() - t0;
  };

  return {
    cloned: () => cloned,
    timings: () => ({ hashMs: Math.round(hashMs), sqlMs: Math.round(sqlMs) }),
    clone: async (count, onProgress) => {
      const all: string[] = [];
      let pending: Promise<void> = Promise.resolve();
      for (let start = 0; start < count; start += batchSize) {
        const size = Math.min(batchSize, count - start);
        const t0 = performance.now();
        const ids: string[] = [];
        const codes: string[] = [];
        const lastHashes: string[] = [];
        const eventIds: string[] = [];
        const eventSeqs: number[] = [];
        const prevHashes: string[] = [];
        const hashes: string[] = [];
        for (let i = 0; i < size; i += 1) {
          const id = randomUUID();
          let prev = GENESIS_HASH;
          for (const event of events) {
            const hash = hashAuditRecord({ ...event, projectId: id, prevHash: prev });
            eventIds.push(id);
            eventSeqs.push(event.seq);
            prevHashes.push(prev);
            hashes.push(hash);
            prev = hash;
          }
          ids.push(id);
          codes.push(`${codePrefix}${String(next).padStart(3, '0')}`);
          lastHashes.push(prev);
          next += 1;
        }
        hashMs += performance.now() - t0;
        await pending; // the previous batch's INSERTs ran while this batch was hashed
        pending = insertBatch(ids, codes, lastHashes, eventIds, eventSeqs, prevHashes, hashes).then(() => {
          cloned += size;
          onProgress?.(cloned);
        });
        all.push(...ids);
      }
      await pending;
      // A real createProject after the bench would otherwise pick a code a clone already has.
      await db.query(
        `UPDATE project_code_counters SET last_seq = GREATEST(last_seq, $1)
          WHERE county = $2 AND item = $3 AND year = $4`,
        [next - 1, codePrefix.split('-')[0], template.item, Number(codePrefix.split('-')[1])],
      );
      return all;
    },
  };
}

/** After bulk loading: fresh statistics, set hint bits and visibility map, and a checkpoint, so the measured phase does not pay for them. */
export async function settleAfterLoad(db: Database): Promise<void> {
  await db.query('VACUUM (ANALYZE) projects');
  await db.query('VACUUM (ANALYZE) project_events');
  await db.query('CHECKPOINT');
}
