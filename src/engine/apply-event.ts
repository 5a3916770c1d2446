import { createHash } from 'node:crypto';
import { transition } from 'xstate';
import { explainRefusal } from '../../machines/project.refusals.ts';
import { restoreProjectSnapshot } from '../../machines/project.restore.ts';
import { projectionOf } from '../../machines/project.projection.ts';
import type { ProjectEventType } from '../../machines/project.schemas.ts';
import type { Actor, ProjectEvent } from '../../machines/project.types.ts';
import { hashAuditRecord } from '../domain/audit-chain.ts';
import { authorizeEvent, canReadProject } from '../domain/authorization.ts';
import { businessDateOf } from '../domain/business-date.ts';
import { PG_CHECK_VIOLATION, PG_UNIQUE_VIOLATION, pgErrorCode, type Database } from '../store/database.ts';
import { ledgerRefusalFor } from '../store/ledger.store.ts';
import type { Refusal } from '../domain/refusal.ts';
import { labelOf } from '../i18n/messages.ts';
import { ledgerWriteFor, prepareLedgerFacts } from './ledger-preparation.ts';
import { prepareMaterials } from './materials-preparation.ts';
import { findStoredAnswer, loadProjectForCommand, writeTransition, type ProjectRow } from '../store/projects.store.ts';
import { AppError } from './app-error.ts';
import { outboxRowsFor } from './effects.ts';
import type { Channel, EngineDeps } from './engine-deps.ts';
import { stateName, viewProject, type ProjectView } from './project-view.ts';

export interface EventCommand {
  projectId: string;
  actor: Actor;
  channel: Channel;
  type: ProjectEventType;
  /** Already validated against eventPayloadSchemas[type]. */
  payload: Record<string, unknown>;
  expectedVersion?: number;
  idempotencyKey?: string;
}

export interface CommandAnswer {
  status: number;
  body: ProjectView & { event: { seq: number; type: string; from: string; to: string } };
  replayed: boolean;
}

export function requestHashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * One command: load, rehydrate, authorise, transition, write in one statement. The first attempt
 * is optimistic (two round trips). When a concurrent command won the race and the caller did not
 * pin a version with If-Match, the command runs again under a row lock, where it cannot lose.
 * `inTransaction`: deps.db is a transaction the caller opened (the email-link decision spends its
 * link in it); the engine's statement then commits or rolls back with the caller's other writes.
 */
export async function applyEvent(deps: EngineDeps, command: EventCommand, options: { inTransaction?: boolean } = {}): Promise<CommandAnswer> {
  const requestHash = requestHashOf([command.projectId, command.type, command.payload, command.expectedVersion ?? null]);
  const first = await loadAndApply(deps, deps.db, command, requestHash, false);
  if (first !== 'lost-race') return first;
  if (command.idempotencyKey) {
    const stored = await findStoredAnswer(deps.db, command.actor.userId, command.idempotencyKey);
    if (stored) return replay(stored, requestHash);
  }
  if (command.expectedVersion === undefined) {
    // Inside the caller's transaction the row lock is taken on that transaction: a nested one would
    // be a second connection that commits apart from the caller's other writes.
    const locked = options.inTransaction
      ? await loadAndApply(deps, deps.db, command, requestHash, true)
      : await deps.db.transaction((tx) => loadAndApply(deps, tx, command, requestHash, true));
    if (locked !== 'lost-race') return locked;
  }
  throw new AppError('version-conflict', 'the project changed while this command ran; reload it and try again', {
    projectId: command.projectId,
  });
}

async function loadAndApply(
  deps: EngineDeps,
  db: Database,
  command: EventCommand,
  requestHash: string,
  lock: boolean,
): Promise<CommandAnswer | 'lost-race'> {
  const idempotency = command.idempotencyKey ? { userId: command.actor.userId, key: command.idempotencyKey } : undefined;
  const { project, answer } = await loadProjectForCommand(db, command.projectId, idempotency, lock);
  if (answer) return replay(answer, requestHash);
  if (!project || !canReadProject(command.actor, project.org_id)) {
    throw new AppError('not-found', `project ${command.projectId} does not exist or is not visible to you`);
  }
  if (command.expectedVersion !== undefined && command.expectedVersion !== project.version) {
    throw versionConflict(project.version, command.expectedVersion);
  }
  return tryApply({ ...deps, db }, command, project, requestHash);
}

async function tryApply(
  deps: EngineDeps,
  command: EventCommand,
  project: ProjectRow,
  requestHash: string,
): Promise<CommandAnswer | 'lost-race'> {
  const restored = restoreProjectSnapshot(deps.machine, project.machine_version, project.snapshot);
  if (!restored.ok) throw new AppError('snapshot-unrestorable', restored.reason, { projectId: project.id });
  const snapshot = restored.snapshot;
  const from = stateName(snapshot.value);

  const authorization = authorizeEvent(
    command.type,
    command.actor,
    { orgId: project.org_id, context: snapshot.context, inReview: from === 'proposed.review' },
    command.payload,
  );
  if (authorization) throw AppError.refused('forbidden', [authorization]);

  const now = deps.now();
  const at = now.toISOString();
  const facts = await prepareLedgerFacts(deps.db, snapshot, from, command.type, command.payload, () => businessDateOf(now), deps.rules);
  // Required materials (config/required-materials.ts): the files the event stands on enter its audit record by hash.
  const materials = await prepareMaterials(deps.db, deps.requiredMaterials, {
    projectId: project.id,
    item: snapshot.context.proposal.item,
    type: command.type,
    payload: command.payload,
    atVersion: project.version,
  });
  const payload = { ...command.payload, ...facts, ...(materials?.used.length ? { materials: materials.used } : {}) };
  const event = { ...payload, type: command.type, at, actor: command.actor } as ProjectEvent;
  const [next, actions] = transition(deps.machine, snapshot, event);
  if (next === snapshot) {
    const refusal = explainRefusal(snapshot, event, deps.rules);
    const eventName = labelOf('event', command.type);
    if (refusal.kind === 'not-accepted') {
      throw AppError.refused('event-not-allowed', [refusal.refusal], { state: from, allowedEvents: refusal.allowed });
    }
    throw AppError.refused('guard-refused', refusal.refusals, { state: from, reasons: refusal.refusals.map((r) => r.en) }, {
      zh: `“${eventName.zh}”未通过：`,
      en: `${command.type} refused: `,
    });
  }

  if (materials?.refusal) {
    // No `reasons`: a page then shows `detail`, the Chinese list of what is missing.
    throw AppError.refused('guard-refused', [materials.refusal], { state: from }, {
      zh: `“${labelOf('event', command.type).zh}”未通过：`,
      en: `${command.type} refused: `,
    });
  }

  const to = stateName(next.value);
  const seq = project.version + 1;
  const reasonText = pickReason(command.payload);
  const auditFields = {
    projectId: project.id,
    seq,
    eventType: command.type,
    actorId: command.actor.userId,
    actorRole: command.actor.role,
    channel: command.channel,
    fromState: from,
    toState: to,
    payload,
    reason: reasonText,
    occurredAt: at,
    prevHash: project.last_hash,
  };
  const hash = hashAuditRecord(auditFields);
  const updatedRow: ProjectRow = {
    ...project,
    state: to,
    version: seq,
    last_hash: hash,
    updated_at: new Date(at),
    title: next.context.proposal.title,
    item: next.context.proposal.item,
    requested_fen: next.context.proposal.requestedFen,
  };
  const body = {
    ...viewProject(updatedRow, next, command.actor),
    event: { seq, type: command.type, from, to },
  };
  const written = await writeTransition(deps.db, {
    projectId: project.id,
    expectedVersion: project.version,
    state: to,
    snapshot: deps.machine.getPersistedSnapshot(next),
    projection: projectionOf(next),
    title: updatedRow.title,
    item: updatedRow.item,
    requestedFen: updatedRow.requested_fen,
    audit: { ...auditFields, hash },
    outbox: outboxRowsFor(project.id, seq, { eventType: command.type, actorId: command.actor.userId }, actions),
    ledger: ledgerWriteFor(actions, {
      projectId: project.id,
      item: next.context.proposal.item,
      fundId: next.context.fundId,
      actorId: command.actor.userId,
      eventType: command.type,
      eventSeq: seq,
      reason: reasonText,
      occurredAt: at,
    }),
    ...(command.idempotencyKey
      ? { idempotency: { userId: command.actor.userId, key: command.idempotencyKey, requestHash, status: 200, body } }
      : {}),
  }).catch((error: unknown) => {
    // A concurrent retry with the same Idempotency-Key won; its answer is read back by the caller.
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) return false;
    const refusal = ledgerRefusalOf(error);
    if (refusal) {
      throw AppError.refused('guard-refused', [refusal], { state: from, reasons: [`${refusal.zh} / ${refusal.en}`] }, {
        zh: `“${labelOf('event', command.type).zh}”未通过：`,
        en: `${command.type} refused: `,
      });
    }
    throw error;
  });
  if (!written) return 'lost-race';
  return { status: 200, body, replayed: false };
}

/** A ledger CHECK constraint that refused the write (the database keeps the invariants under races). */
function ledgerRefusalOf(error: unknown): Refusal | undefined {
  if (pgErrorCode(error) !== PG_CHECK_VIOLATION) return undefined;
  return ledgerRefusalFor((error as { constraint?: string }).constraint ?? '');
}

function pickReason(payload: Record<string, unknown>): string | null {
  for (const key of ['reason', 'comment', 'correction', 'summary']) {
    const value = payload[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

function replay(answer: { request_hash: string; status: number; body: unknown }, requestHash: string): CommandAnswer {
  if (answer.request_hash !== requestHash) {
    throw new AppError('idempotency-key-reused', 'this Idempotency-Key was already used for a different request');
  }
  return { status: answer.status, body: answer.body as CommandAnswer['body'], replayed: true };
}

function versionConflict(current: number, expected: number): AppError {
  return new AppError('version-conflict', `the project is at version ${current}, not ${expected} (If-Match)`, {
    currentVersion: current,
  });
}

