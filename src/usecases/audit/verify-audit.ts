import { checkAttachmentRecords, verifyChain } from '../../domain/audit-chain.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { readAuditBatch, type ProjectChain } from '../../store/audit.store.ts';
import { readAttachmentsForAudit } from '../../store/attachments.store.ts';
import { databaseBlobStore, type BlobStore } from '../../store/blob-storage.ts';

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
  /** Attached files whose row, audit event and stored bytes were compared. */
  attachmentsChecked: number;
  brokenProjects: number;
  /** The first broken project in id order, when any. */
  firstBroken: BrokenChain | null;
  /** Up to MAX_LISTED broken projects; brokenProjects has the full count. */
  broken: BrokenChain[];
}

/** Projects read per round trip; their events come in the same statement (one consistent snapshot). */
export const AUDIT_BATCH_SIZE = 500;
const MAX_LISTED = 100;

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

type BatchRead = Awaited<ReturnType<typeof readAttachmentsForAudit>>;
/** A batch's attachment rows and ATTACH_FILE events, by project. */
interface BatchFiles {
  rowsOf: Map<string, BatchRead['rows']>;
  eventsOf: Map<string, BatchRead['events']>;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** One project's attached files against their ATTACH_FILE events and the stored bytes. */
function checkProjectAttachments(
  chain: ProjectChain,
  files: BatchFiles,
  stored: Awaited<ReturnType<BlobStore['rehash']>>,
): BrokenChain | null {
  const events = files.eventsOf.get(chain.id) ?? [];
  const rows = (files.rowsOf.get(chain.id) ?? [])
    .map(({ id, kind, fileName, mediaType, sizeBytes, sha256, eventSeq, auditSeq }) => ({ id, kind, fileName, mediaType, sizeBytes, sha256, eventSeq, auditSeq }));
  const found = checkAttachmentRecords(events, rows, stored);
  return found ? { projectId: chain.id, code: chain.code, ...found } : null;
}

/**
 * Recomputes every project's hash chain from project_events,
 * AUDIT_BATCH_SIZE projects at a time in id order, so memory stays flat for any number of projects;
 * and each attached file against its audit event, with its stored bytes hashed again.
 */
export async function verifyAudit(
  deps: Pick<EngineDeps, 'db'>,
  input: { project?: string | undefined } = {},
  blobs: BlobStore = databaseBlobStore(deps.db),
): Promise<AuditVerifyReport> {
  const report: AuditVerifyReport = {
    ok: true,
    projectsChecked: 0,
    eventsChecked: 0,
    attachmentsChecked: 0,
    brokenProjects: 0,
    firstBroken: null,
    broken: [],
  };
  let after: string | null = null;
  for (;;) {
    const chains = await readAuditBatch(deps.db, after, input.project, AUDIT_BATCH_SIZE);
    const read = await readAttachmentsForAudit(deps.db, chains.map((chain) => chain.id));
    const stored = await blobs.rehash([...new Set(read.rows.map((row) => row.sha256))]);
    report.attachmentsChecked += read.rows.length;
    const files: BatchFiles = { rowsOf: groupBy(read.rows, (row) => row.projectId), eventsOf: groupBy(read.events, (event) => event.projectId) };
    for (const chain of chains) {
      report.projectsChecked += 1;
      report.eventsChecked += chain.records.length;
      const broken = checkProjectChain(chain) ?? checkProjectAttachments(chain, files, stored);
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

