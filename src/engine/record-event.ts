import type { Actor } from '../../machines/project.types.ts';
import { hashAuditRecord } from '../domain/audit-chain.ts';
import { PG_CHECK_VIOLATION, PG_UNIQUE_VIOLATION, pgErrorCode } from '../store/database.ts';
import type { ProjectLedgerWrite } from '../store/ledger.store.ts';
import { ledgerRefusalFor } from '../store/ledger.store.ts';
import { findProject, findStoredAnswer, writeTransition, type OutboxInsert, type StoredAnswer } from '../store/projects.store.ts';
import { AppError } from './app-error.ts';
import type { Channel, EngineDeps } from './engine-deps.ts';

export interface ProjectEventInput {
  projectId: string;
  actor: Actor;
  channel: Channel;
  eventType: string;
  payload: Record<string, unknown>;
  reason: string | null;
  outbox: (seq: number) => OutboxInsert[];
  /** A ledger movement the event records (a recovery), written in the same statement. */
  ledger?: (seq: number) => ProjectLedgerWrite;
  /** The answer kept under an Idempotency-Key, written in the same statement. */
  idempotency?: { key: string; requestHash: string; status: number; body: (seq: number) => unknown };
}

/**
 * Appends an audit event that is not a state change (a task delegated, money recovered) to the
 * project's hash chain, with its outbox rows, ledger movement and idempotent answer, in the same
 * single statement a transition uses. Returns the event's seq, or the answer a concurrent request
 * with the same Idempotency-Key stored first.
 */
export async function recordProjectEvent(deps: EngineDeps, input: Omit<ProjectEventInput, 'idempotency'>): Promise<number> {
  return (await recordIdempotentProjectEvent(deps, input)) as number;
}

/** recordProjectEvent with an Idempotency-Key: the seq written, or the answer stored first under the key. */
export async function recordIdempotentProjectEvent(deps: EngineDeps, input: ProjectEventInput): Promise<number | StoredAnswer> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const project = await findProject(deps.db, input.projectId);
    if (!project) throw new AppError('not-found', `project ${input.projectId} does not exist`);
    const seq = project.version + 1;
    const at = deps.now().toISOString();
    const fields = {
      projectId: project.id,
      seq,
      eventType: input.eventType,
      actorId: input.actor.userId,
      actorRole: input.actor.role,
      channel: input.channel,
      fromState: project.state,
      toState: project.state,
      payload: input.payload,
      reason: input.reason,
      occurredAt: at,
      prevHash: project.last_hash,
    };
    const { idempotency } = input;
    const written = await writeTransition(deps.db, {
      projectId: project.id,
      expectedVersion: project.version,
      state: project.state,
      snapshot: project.snapshot,
      title: project.title,
      item: project.item,
      requestedFen: project.requested_fen,
      audit: { ...fields, hash: hashAuditRecord(fields) },
      outbox: input.outbox(seq),
      ...(input.ledger ? { ledger: input.ledger(seq) } : {}),
      ...(idempotency
        ? { idempotency: { userId: input.actor.userId, key: idempotency.key, requestHash: idempotency.requestHash, status: idempotency.status, body: idempotency.body(seq) } }
        : {}),
    }).catch((error: unknown) => {
      if (idempotency && pgErrorCode(error) === PG_UNIQUE_VIOLATION) return 'key-taken' as const;
      if (pgErrorCode(error) === PG_CHECK_VIOLATION) {
        const constraint = (error as { constraint?: string }).constraint ?? '';
        const refusal = ledgerRefusalFor(constraint);
        throw AppError.refused('guard-refused', [refusal], { reasons: [refusal.en] });
      }
      throw error;
    });
    if (written === 'key-taken') return (await findStoredAnswer(deps.db, input.actor.userId, idempotency!.key))!;
    if (written) return seq;
  }
  throw new AppError('version-conflict', 'the project kept changing; try again');
}
