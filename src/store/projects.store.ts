import { storedContextOf } from '../../machines/project.restore.ts';
import type { ProjectContext } from '../../machines/project.types.ts';
import type { Database } from './database.ts';
import { ledgerWriteCtes, ledgerWrittenGuard, type ProjectLedgerWrite } from './ledger.store.ts';

export interface ProjectRow {
  id: string;
  code: string;
  org_id: string;
  item: number;
  title: string;
  requested_fen: number;
  state: string;
  machine_version: string;
  snapshot: unknown;
  version: number;
  last_hash: string;
  created_at: Date;
  updated_at: Date;
  /** The projection (migration 006): read these, never the snapshot JSON. */
  tags: string[];
  fund_id: string | null;
  accepted_grade: string | null;
}

/** The projection columns a transition writes with its snapshot (machines/project.projection.ts computes them). */
export interface ProjectionColumns {
  machineVersion: string;
  tags: readonly string[];
  fundId: string | null;
  acceptedGrade: string | null;
}

export interface StoredAnswer {
  request_hash: string;
  status: number;
  body: unknown;
}

export interface AuditInsert {
  seq: number;
  eventType: string;
  actorId: string | null;
  actorRole: string;
  channel: string;
  fromState: string | null;
  toState: string;
  payload: unknown;
  reason: string | null;
  occurredAt: string;
  prevHash: string;
  hash: string;
}

export interface OutboxInsert {
  topic: string;
  payload: unknown;
  dedupe_key: string;
}

export interface IdempotencyInsert {
  userId: string;
  key: string;
  requestHash: string;
  status: number;
  body: unknown;
}

const PROJECT_COLUMNS = `p.id, p.code, p.org_id, p.item, p.title, p.requested_fen, p.state, p.machine_version, p.snapshot,
  p.version, p.last_hash, p.created_at, p.updated_at, p.tags, p.fund_id, p.accepted_grade`;

/** Loads a project and, in the same round trip, the stored answer for an Idempotency-Key; `lock` takes the row lock. */
export async function loadProjectForCommand(
  db: Database,
  projectId: string,
  idempotency?: { userId: string; key: string },
  lock = false,
): Promise<{ project: ProjectRow | undefined; answer: StoredAnswer | undefined }> {
  if (!idempotency || lock) {
    const rows = await db.query<ProjectRow>(
      `SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = $1${lock ? ' FOR UPDATE' : ''}`,
      [projectId],
      lock ? 'load-project-locked' : 'load-project',
    );
    const answer = idempotency ? await findStoredAnswer(db, idempotency.userId, idempotency.key) : undefined;
    return { project: rows[0], answer };
  }
  const rows = await db.query<ProjectRow & { answer_hash: string | null; answer_status: number | null; answer_body: unknown }>(
    `SELECT ${PROJECT_COLUMNS}, k.request_hash AS answer_hash, k.status AS answer_status, k.body AS answer_body
       FROM (SELECT 1) one
       LEFT JOIN projects p ON p.id = $1
       LEFT JOIN idempotency_keys k ON k.user_id = $2 AND k.key = $3`,
    [projectId, idempotency.userId, idempotency.key],
    'load-project-with-answer',
  );
  const row = rows[0];
  if (!row) return { project: undefined, answer: undefined };
  const { answer_hash, answer_status, answer_body, ...project } = row;
  return {
    project: project.id ? project : undefined,
    answer: answer_hash ? { request_hash: answer_hash, status: answer_status!, body: answer_body } : undefined,
  };
}

export async function findStoredAnswer(db: Database, userId: string, key: string): Promise<StoredAnswer | undefined> {
  const rows = await db.query<StoredAnswer>('SELECT request_hash, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2', [
    userId,
    key,
  ]);
  return rows[0];
}

/**
 * Writes one transition as ONE statement: the snapshot under an optimistic version check, the audit
 * event, the outbox rows, the idempotent answer and the ledger movement it causes. The statement is atomic by itself, so it needs
 * no BEGIN/COMMIT round trips; when the version moved on, nothing at all is written.
 *
 * Inputs: $1 project id, $2 expected version, $3 snapshot, $4 state, $5 new hash, $6 time,
 *   $7-$9 title/item/requested fen, $10-$17 the audit event, $18 outbox rows (JSON array),
 *   $19-$23 the idempotent answer (all NULL without a key), then the ledger CTEs' own parameters.
 * Output: one row (the new version) when written; none when the version had moved on.
 * Locks, in order: the projects row (UPDATE); with a ledger movement then project_balances,
 *   fund_balances, fund_category_balances, fund_item_balances (see ledgerWriteCtes). Inserts into
 *   project_events, outbox and idempotency_keys take no row locks others wait on, except the
 *   unique index of idempotency_keys, whose violation (a concurrent same key) fails the statement.
 */
export async function writeTransition(
  db: Database,
  input: {
    projectId: string;
    expectedVersion: number;
    state: string;
    snapshot: unknown;
    title: string;
    item: number;
    requestedFen: number;
    audit: AuditInsert;
    outbox: OutboxInsert[];
    idempotency?: IdempotencyInsert;
    ledger?: ProjectLedgerWrite;
    /** The snapshot's projection; omitted when the snapshot is written back unchanged (an event that is not a transition). */
    projection?: ProjectionColumns;
  },
): Promise<boolean> {
  const { audit, idempotency } = input;
  const head = `WITH updated AS (
       UPDATE projects
          SET snapshot = $3::jsonb, state = $4, version = version + 1, last_hash = $5, updated_at = $6,
              title = $7, item = $8, requested_fen = $9,
              machine_version = CASE WHEN $24::boolean THEN $25 ELSE machine_version END,
              tags = CASE WHEN $24::boolean THEN $26::text[] ELSE tags END,
              fund_id = CASE WHEN $24::boolean THEN $27::uuid ELSE fund_id END,
              accepted_grade = CASE WHEN $24::boolean THEN $28 ELSE accepted_grade END
        WHERE id = $1 AND version = $2
        RETURNING version
     ), audit AS (
       INSERT INTO project_events (project_id, seq, event_type, actor_id, actor_role, channel, from_state, to_state,
                                   payload, reason, occurred_at, prev_hash, hash)
       SELECT $1, version, $10, $11, $12, $13, $14, $4, $15::jsonb, $16, $6, $17, $5 FROM updated
     ), effects AS (
       INSERT INTO outbox (project_id, event_seq, topic, payload, dedupe_key)
       SELECT $1, updated.version, o.topic, o.payload, o.dedupe_key
         FROM updated, jsonb_to_recordset($18::jsonb) AS o(topic text, payload jsonb, dedupe_key text)
     ), answer AS (
       INSERT INTO idempotency_keys (user_id, key, request_hash, status, body)
       SELECT $19, $20, $21, $22, $23::jsonb FROM updated WHERE $20::text IS NOT NULL
     )`;
  const params: unknown[] = [
      input.projectId,
      input.expectedVersion,
      JSON.stringify(input.snapshot),
      input.state,
      audit.hash,
      audit.occurredAt,
      input.title,
      input.item,
      input.requestedFen,
      audit.eventType,
      audit.actorId,
      audit.actorRole,
      audit.channel,
      audit.fromState,
      JSON.stringify(audit.payload),
      audit.reason,
      audit.prevHash,
      JSON.stringify(input.outbox),
      idempotency?.userId ?? null,
      idempotency?.key ?? null,
      idempotency?.requestHash ?? null,
      idempotency?.status ?? null,
      idempotency ? JSON.stringify(idempotency.body) : null,
      input.projection !== undefined,
      input.projection?.machineVersion ?? null,
      input.projection ? [...input.projection.tags] : null,
      input.projection?.fundId ?? null,
      input.projection?.acceptedGrade ?? null,
  ];
  const ledger = input.ledger ? ledgerWriteCtes(input.ledger, 'updated', params) : '';
  const guard = input.ledger ? `, ${ledgerWrittenGuard('updated')} AS ledger_written` : '';
  const name = input.ledger ? `write-transition-${input.ledger.kind}` : 'write-transition';
  const rows = await db.query<{ version: number }>(`${head}${ledger} SELECT version${guard} FROM updated`, params, name);
  return rows.length === 1;
}

/** Allocates the next human code number for (county, year, item); call inside the creating transaction. */
export async function nextProjectSequence(db: Database, county: string, year: number, item: number): Promise<number> {
  const rows = await db.query<{ last_seq: number }>(
    `INSERT INTO project_code_counters (county, year, item, last_seq) VALUES ($1, $2, $3, 1)
     ON CONFLICT (county, year, item) DO UPDATE SET last_seq = project_code_counters.last_seq + 1
     RETURNING last_seq`,
    [county, year, item],
  );
  return rows[0]!.last_seq;
}

export async function insertProject(
  db: Database,
  input: {
    id: string;
    code: string;
    orgId: string;
    item: number;
    title: string;
    requestedFen: number;
    state: string;
    machineVersion: string;
    snapshot: unknown;
    audit: AuditInsert;
    idempotency?: IdempotencyInsert;
    /** The initial snapshot's projection (its machineVersion prevails over `machineVersion`). */
    projection?: ProjectionColumns;
  },
): Promise<void> {
  const { audit, projection } = input;
  await db.query(
    `INSERT INTO projects (id, code, org_id, item, title, requested_fen, state, machine_version, snapshot, version, last_hash,
                           created_at, updated_at, tags, fund_id, accepted_grade)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, 1, $10, $11, $11, $12::text[], $13::uuid, $14)`,
    [input.id, input.code, input.orgId, input.item, input.title, input.requestedFen, input.state,
      projection?.machineVersion ?? input.machineVersion, JSON.stringify(input.snapshot), audit.hash, audit.occurredAt,
      [...(projection?.tags ?? [])], projection?.fundId ?? null, projection?.acceptedGrade ?? null],
  );
  await insertAuditEvent(db, input.id, audit);
  if (input.idempotency) await insertAnswer(db, input.idempotency);
}

async function insertAuditEvent(db: Database, projectId: string, audit: AuditInsert): Promise<void> {
  await db.query(
    `INSERT INTO project_events (project_id, seq, event_type, actor_id, actor_role, channel, from_state, to_state, payload,
                                 reason, occurred_at, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
    [projectId, audit.seq, audit.eventType, audit.actorId, audit.actorRole, audit.channel, audit.fromState, audit.toState,
      JSON.stringify(audit.payload), audit.reason, audit.occurredAt, audit.prevHash, audit.hash],
  );
}

async function insertAnswer(db: Database, answer: IdempotencyInsert): Promise<void> {
  await db.query('INSERT INTO idempotency_keys (user_id, key, request_hash, status, body) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    answer.userId,
    answer.key,
    answer.requestHash,
    answer.status,
    JSON.stringify(answer.body),
  ]);
}

export async function findProject(db: Database, projectId: string): Promise<ProjectRow | undefined> {
  const rows = await db.query<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = $1`, [projectId]);
  return rows[0];
}

export async function findProjectByCode(db: Database, code: string): Promise<ProjectRow | undefined> {
  const rows = await db.query<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.code = $1`, [code], 'find-project-by-code');
  return rows[0];
}

export type MonitoringLight = 'green' | 'yellow' | 'red';

export interface ProjectFilter {
  state?: string;
  item?: number;
  orgId?: string;
  /** true: with an open task or an active deadline past due; false: with neither. */
  overdue?: boolean;
  light?: MonitoringLight;
  /** Part of the code or title (case-insensitive, taken literally). */
  search?: string;
  limit: number;
  cursor?: { createdAt: string; id: string };
}

/** A list row: the snapshot is not read (null); the summary needs only the columns. */
export type ProjectListRow = ProjectRow & { light: MonitoringLight | null; overdue: boolean };

/**
 * The 双监控 light of an executing project is what the last daily check found (run-daily-checks
 * raises a deviation.yellow or deviation.red alert per lagging measure, with classifyDeviation):
 * red or yellow when it raised one for the project on the latest checked business day, green
 * otherwise. Projects not executing are not monitored (null). Overdue: an open task or an active
 * deadline whose due date has passed (Beijing date `today`).
 */
const LIST_COLUMNS = (today: string) => `
  CASE WHEN p.state <> 'executing' THEN NULL
       WHEN EXISTS (SELECT 1 FROM alerts a WHERE a.project_id = p.id AND a.kind = 'deviation.red' AND a.created_at >= lc.since) THEN 'red'
       WHEN EXISTS (SELECT 1 FROM alerts a WHERE a.project_id = p.id AND a.kind = 'deviation.yellow' AND a.created_at >= lc.since) THEN 'yellow'
       ELSE 'green' END AS light,
  (EXISTS (SELECT 1 FROM tasks t WHERE t.project_id = p.id AND t.status = 'open' AND t.due_date < ${today})
   OR EXISTS (SELECT 1 FROM schedules s WHERE s.project_id = p.id AND s.status = 'active' AND s.due_date < ${today})) AS overdue`;

/** The start (UTC instant) of the business day the daily checks last ran for. */
const LAST_CHECK = `(SELECT (max(period) || 'T00:00:00+08:00')::timestamptz AS since FROM periodic_runs WHERE job = 'daily-checks') lc`;

/** `today` (Beijing date) decides what is overdue; without it, the database's own clock in Beijing time. */
export async function listProjects(db: Database, filter: ProjectFilter & { today?: string }): Promise<ProjectListRow[]> {
  const params: unknown[] = [filter.today ?? null];
  const where: string[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.state) add((n) => `(p.state = ${n} OR p.state LIKE ${n} || '.%')`, filter.state);
  if (filter.item !== undefined) add((n) => `p.item = ${n}`, filter.item);
  if (filter.orgId) add((n) => `p.org_id = ${n}::uuid`, filter.orgId);
  if (filter.search) add((n) => `(p.code ILIKE ${n} OR p.title ILIKE ${n})`, `%${filter.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
  if (filter.cursor) {
    params.push(filter.cursor.createdAt, filter.cursor.id);
    where.push(`(p.created_at, p.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  const outer: string[] = [];
  if (filter.overdue !== undefined) outer.push(filter.overdue ? 'x.overdue' : 'NOT x.overdue');
  if (filter.light) {
    params.push(filter.light);
    outer.push(`x.light = $${params.length}`);
  }
  params.push(filter.limit);
  return db.query<ProjectListRow>(
    `SELECT x.* FROM (
       SELECT ${PROJECT_COLUMNS.replace('p.snapshot', 'NULL::jsonb AS snapshot')}, ${LIST_COLUMNS(`coalesce($1::date, (now() AT TIME ZONE 'Asia/Shanghai')::date)`)}
         FROM projects p CROSS JOIN ${LAST_CHECK}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ) x ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
     ORDER BY x.created_at DESC, x.id DESC LIMIT $${params.length}`,
    params,
  );
}

export interface EventRow {
  project_id: string;
  seq: number;
  event_type: string;
  actor_id: string | null;
  actor_role: string;
  actor_name: string | null;
  channel: string;
  from_state: string | null;
  to_state: string;
  payload: unknown;
  reason: string | null;
  occurred_at: Date;
  prev_hash: string;
  hash: string;
}

export async function listProjectEvents(db: Database, projectId: string): Promise<EventRow[]> {
  return db.query<EventRow>(
    `SELECT e.*, u.name AS actor_name FROM project_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.project_id = $1 ORDER BY e.seq`,
    [projectId],
  );
}

/** The applicant's other projects whose accepted evaluation graded them 中 or 差 (projection column). */
export async function listLowGradeProjects(db: Database, orgId: string, exceptProjectId: string): Promise<{ code: string; grade: string }[]> {
  return db.query<{ code: string; grade: string }>(
    `SELECT code, accepted_grade AS grade FROM projects
      WHERE org_id = $1 AND id <> $2 AND accepted_grade IN ('中', '差')
      ORDER BY code`,
    [orgId, exceptProjectId],
  );
}

/** The first project of an organisation with this exact title (the demo seed reuses what exists). */
export async function findProjectByTitle(db: Database, orgId: string, title: string): Promise<{ id: string; code: string; state: string } | undefined> {
  const rows = await db.query<{ id: string; code: string; state: string }>(
    'SELECT id, code, state FROM projects WHERE org_id = $1 AND title = $2 ORDER BY created_at LIMIT 1',
    [orgId, title],
  );
  return rows[0];
}

/** Projects in a state, each with its context read through restore (migrated to this build's machine version). */
export async function listProjectContextsInState(db: Database, state: string): Promise<{ id: string; code: string; context: ProjectContext }[]> {
  const rows = await db.query<{ id: string; code: string; machine_version: string; snapshot: unknown }>(
    'SELECT id, code, machine_version, snapshot FROM projects WHERE state = $1 ORDER BY code',
    [state],
  );
  return rows.map((row) => ({ id: row.id, code: row.code, context: storedContextOf(row) }));
}

/** The organisations that have projects, with how many (the projects list's organisation filter). */
export async function listProjectOrganisations(db: Database, onlyOrgId: string | null): Promise<{ id: string; name: string; kind: string; projects: number }[]> {
  return db.query<{ id: string; name: string; kind: string; projects: number }>(
    `SELECT o.id, o.name, o.kind, count(p.id)::int AS projects
       FROM organisations o JOIN projects p ON p.org_id = o.id
      WHERE $1::uuid IS NULL OR o.id = $1::uuid
      GROUP BY o.id, o.name, o.kind ORDER BY o.name`,
    [onlyOrgId],
    'list-project-organisations',
  );
}
