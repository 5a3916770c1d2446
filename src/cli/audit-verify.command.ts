import { z } from 'zod';
import { verifyChain, type AuditRecord } from '../domain/audit-chain.ts';
import type { Database } from '../store/database.ts';
import { UsageError, parseFlags } from './cli-errors.ts';

export const auditVerifyFlags = z.object({
  project: z.uuid({ message: 'must be a project id (a UUID)' }).optional(),
});

export interface BrokenChain {
  projectId: string;
  code: string;
  /** The first event that does not fit; for a last_hash mismatch, the project's last event. */
  seq: number;
  problem: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  projectsChecked: number;
  eventsChecked: number;
  brokenProjects: number;
  /** The first broken project in id order, when any. */
  firstBroken: BrokenChain | null;
  /** Up to MAX_LISTED broken projects; brokenProjects has the full count. */
  broken: BrokenChain[];
}

/** Projects read per round trip; their events come in the same statement (one consistent snapshot). */
export const AUDIT_BATCH_SIZE = 500;
const MAX_LISTED = 100;

interface BatchRow {
  id: string;
  code: string;
  version: number;
  last_hash: string;
  seq: number | null;
  event_type: string | null;
  actor_id: string | null;
  actor_role: string | null;
  channel: string | null;
  from_state: string | null;
  to_state: string | null;
  payload: unknown;
  reason: string | null;
  occurred_at: Date | string | null;
  prev_hash: string | null;
  hash: string | null;
}

interface ProjectChain {
  id: string;
  code: string;
  version: number;
  lastHash: string;
  records: (AuditRecord & { hash: string })[];
}

/**
 * An event row as the AuditRecord that src/engine/create-project.ts and apply-event.ts hashed.
 * occurred_at went in as the ISO string of the command time (millisecond precision), so its
 * round trip through timestamptz gives the same string back.
 */
function auditRecordOf(row: BatchRow): AuditRecord & { hash: string } {
  return {
    projectId: row.id,
    seq: row.seq!,
    eventType: row.event_type!,
    actorId: row.actor_id,
    actorRole: row.actor_role!,
    channel: row.channel!,
    fromState: row.from_state,
    toState: row.to_state!,
    payload: row.payload,
    reason: row.reason,
    occurredAt: new Date(row.occurred_at!).toISOString(),
    prevHash: row.prev_hash!,
    hash: row.hash!,
  };
}

/** One project's chain, and that projects.last_hash and version point at its last event. */
export function checkProjectChain(chain: ProjectChain): BrokenChain | null {
  const broken = (seq: number, problem: string): BrokenChain => ({ projectId: chain.id, code: chain.code, seq, problem });
  if (chain.records.length === 0) return broken(1, 'the project has no audit events (its PROPOSE event is missing)');
  const check = verifyChain(chain.records);
  if (!check.ok) return broken(check.seq, check.problem);
  const last = chain.records.at(-1)!;
  if (last.hash !== chain.lastHash) {
    return broken(last.seq, 'projects.last_hash does not match the hash of the last event (an event is missing or the project row was altered)');
  }
  if (last.seq !== chain.version) {
    return broken(last.seq, `projects.version is ${chain.version} but the last event is seq ${last.seq}`);
  }
  return null;
}

async function readBatch(db: Database, after: string | null, onlyProject: string | undefined): Promise<ProjectChain[]> {
  // A plain `id > $1` (no `$1 IS NULL OR ...`) so every batch is an index range scan: O(batch), not O(table).
  const [where, params] = onlyProject
    ? ['WHERE id = $2', [AUDIT_BATCH_SIZE, onlyProject]]
    : after === null
      ? ['', [AUDIT_BATCH_SIZE]]
      : ['WHERE id > $2', [AUDIT_BATCH_SIZE, after]];
  const rows = await db.query<BatchRow>(
    `SELECT p.id, p.code, p.version, p.last_hash, e.seq, e.event_type, e.actor_id, e.actor_role, e.channel, e.from_state,
            e.to_state, e.payload, e.reason, e.occurred_at, e.prev_hash, e.hash
       FROM (SELECT id, code, version, last_hash FROM projects ${where} ORDER BY id LIMIT $1) p
       LEFT JOIN project_events e ON e.project_id = p.id
      ORDER BY p.id, e.seq`,
    params,
  );
  const chains: ProjectChain[] = [];
  for (const row of rows) {
    let chain = chains.at(-1);
    if (!chain || chain.id !== row.id) {
      chain = { id: row.id, code: row.code, version: row.version, lastHash: row.last_hash, records: [] };
      chains.push(chain);
    }
    if (row.seq !== null) chain.records.push(auditRecordOf(row));
  }
  return chains;
}

/**
 * `audit:verify [--project <id>]`: recomputes every project's hash chain from project_events,
 * AUDIT_BATCH_SIZE projects at a time in id order, so memory stays flat for any number of projects.
 */
export async function auditVerifyCommand(db: Database, flags: z.input<typeof auditVerifyFlags> = {}): Promise<AuditVerifyReport> {
  const input = parseFlags(auditVerifyFlags, flags);
  const report: AuditVerifyReport = {
    ok: true,
    projectsChecked: 0,
    eventsChecked: 0,
    brokenProjects: 0,
    firstBroken: null,
    broken: [],
  };
  let after: string | null = null;
  for (;;) {
    const chains = await readBatch(db, after, input.project);
    if (input.project && chains.length === 0) throw new UsageError(`--project: no project with id ${input.project}`);
    for (const chain of chains) {
      report.projectsChecked += 1;
      report.eventsChecked += chain.records.length;
      const broken = checkProjectChain(chain);
      if (!broken) continue;
      report.ok = false;
      report.brokenProjects += 1;
      report.firstBroken ??= broken;
      if (report.broken.length < MAX_LISTED) report.broken.push(broken);
    }
    if (input.project || chains.length < AUDIT_BATCH_SIZE) break;
    after = chains.at(-1)!.id;
  }
  return report;
}

/** The one line printed on stderr for a broken trail. */
export function describeBroken(report: AuditVerifyReport): string {
  const first = report.firstBroken!;
  const more = report.brokenProjects > 1 ? ` (and ${report.brokenProjects - 1} more broken project(s))` : '';
  return `audit:verify: chain broken in project ${first.projectId} (${first.code}) at seq ${first.seq}: ${first.problem}${more}`;
}
