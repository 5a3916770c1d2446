import { restoreProjectSnapshot } from '../../../machines/project.restore.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';
import { requestHashOf } from '../../engine/apply-event.ts';
import type { Channel, EngineDeps } from '../../engine/engine-deps.ts';
import { recordIdempotentProjectEvent } from '../../engine/record-event.ts';
import { findProject, findStoredAnswer, type StoredAnswer } from '../../store/projects.store.ts';
import { requireWriter } from './read-policy.ts';

export interface RecoveryAnswer {
  status: number;
  body: { projectId: string; fundId: string; amountFen: number; auditSeq: number };
  replayed: boolean;
}

/**
 * Money paid back (追回资金). An audited RECORD_RECOVERY event in the project's hash chain whose
 * statement also writes the ledger entry and balances and, with an Idempotency-Key, the answer: all
 * or nothing. The same key with the same body replays the first answer; the same key with another
 * body is refused. Without a key every POST is a new recovery, each one audited. The body is read
 * only once the caller is authorised.
 */
export async function recordRecovery(
  deps: EngineDeps,
  actor: Actor,
  request: { projectId: string; idempotencyKey?: string | undefined; readBody: () => { amountFen: number; reason: string } },
  channel: Channel = 'api',
): Promise<RecoveryAnswer> {
  requireWriter(['finance'], actor.role, 'recording a recovery');
  const input = { projectId: request.projectId, idempotencyKey: request.idempotencyKey, ...request.readBody() };
  const requestHash = requestHashOf(['recovery', input.projectId, input.amountFen, input.reason]);
  if (input.idempotencyKey) {
    const stored = await findStoredAnswer(deps.db, actor.userId, input.idempotencyKey);
    if (stored) return replay(stored, requestHash);
  }
  const project = await findProject(deps.db, input.projectId);
  if (!project || !canReadProject(actor, project.org_id)) throw new AppError('not-found', `project ${input.projectId} does not exist`);
  const restored = restoreProjectSnapshot(deps.machine, project.machine_version, project.snapshot);
  if (!restored.ok) throw new AppError('snapshot-unrestorable', restored.reason, { projectId: project.id });
  const fundId = restored.snapshot.context.fundId;
  if (!fundId) throw new AppError('guard-refused', 'the project has no money earmarked, so nothing can be recovered', { reasons: ['nothing-paid'] });
  const at = deps.now().toISOString();
  const bodyOf = (seq: number) => ({ projectId: project.id, fundId, amountFen: input.amountFen, auditSeq: seq });
  const written = await recordIdempotentProjectEvent(deps, {
    projectId: project.id,
    actor,
    channel,
    eventType: 'RECORD_RECOVERY',
    payload: { amountFen: input.amountFen, fundId },
    reason: input.reason,
    outbox: () => [],
    ledger: (seq) => ({
      kind: 'recover',
      fundId,
      projectId: project.id,
      item: project.item,
      amountFen: input.amountFen,
      actorId: actor.userId,
      eventType: 'RECORD_RECOVERY',
      eventSeq: seq,
      reason: input.reason,
      occurredAt: at,
    }),
    ...(input.idempotencyKey ? { idempotency: { key: input.idempotencyKey, requestHash, status: 201, body: bodyOf } } : {}),
  });
  if (typeof written !== 'number') return replay(written, requestHash);
  return { status: 201, body: bodyOf(written), replayed: false };
}

function replay(answer: StoredAnswer, requestHash: string): RecoveryAnswer {
  if (answer.request_hash !== requestHash) {
    throw new AppError('idempotency-key-reused', 'this Idempotency-Key was already used for a different request');
  }
  return { status: answer.status, body: answer.body as RecoveryAnswer['body'], replayed: true };
}
