import { randomUUID } from 'node:crypto';
import { initialTransition } from 'xstate';
import { PROJECT_MACHINE_VERSION } from '../../machines/project.machine.ts';
import { projectionOf } from '../../machines/project.projection.ts';
import type { CreateProjectInput } from '../../machines/project.schemas.ts';
import type { Actor } from '../../machines/project.types.ts';
import { GENESIS_HASH, hashAuditRecord } from '../domain/audit-chain.ts';
import { businessYearOf } from '../domain/business-date.ts';
import { formatProjectCode } from '../domain/project-code.ts';
import { findOrganisation } from '../store/users.store.ts';
import { findStoredAnswer, insertProject, nextProjectSequence } from '../store/projects.store.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../store/database.ts';
import { AppError } from './app-error.ts';
import { requestHashOf } from './apply-event.ts';
import type { Channel, EngineDeps } from './engine-deps.ts';
import { stateName, viewProject, type ProjectView } from './project-view.ts';

const MAY_PROPOSE_FOR_OTHERS = new Set(['center', 'admin']);

/** Proposes a project: a new machine in proposed.draft, its first audit event, its human code. */
export async function createProject(
  deps: EngineDeps,
  actor: Actor,
  input: CreateProjectInput,
  channel: Channel,
  idempotencyKey?: string,
): Promise<{ status: number; body: ProjectView; replayed: boolean }> {
  const requestHash = requestHashOf(['create', input]);
  if (idempotencyKey) {
    const stored = await findStoredAnswer(deps.db, actor.userId, idempotencyKey);
    if (stored) {
      if (stored.request_hash !== requestHash) {
        throw new AppError('idempotency-key-reused', 'this Idempotency-Key was already used for a different request');
      }
      return { status: stored.status, body: stored.body as ProjectView, replayed: true };
    }
  }
  const orgId = await resolveApplicantOrg(deps, actor, input.applicantOrgId);
  const { applicantOrgId: _ignored, ...proposal } = input;
  const now = deps.now();
  const at = now.toISOString();
  const projectId = randomUUID();
  try {
    return await deps.db.transaction(async (tx) => {
      const year = businessYearOf(now);
      const sequence = await nextProjectSequence(tx, deps.countyCode, year, proposal.item);
      const code = formatProjectCode(deps.countyCode, year, proposal.item, sequence);
      const [snapshot] = initialTransition(deps.machine, {
        projectId,
        code,
        orgId,
        createdBy: actor.userId,
        createdAt: at,
        proposal,
      });
      const state = stateName(snapshot.value);
      const auditFields = {
        projectId,
        seq: 1,
        eventType: 'PROPOSE',
        actorId: actor.userId,
        actorRole: actor.role,
        channel,
        fromState: null,
        toState: state,
        payload: input,
        reason: null,
        occurredAt: at,
        prevHash: GENESIS_HASH,
      };
      const hash = hashAuditRecord(auditFields);
      const projection = projectionOf(snapshot);
      const row = {
        id: projectId,
        code,
        org_id: orgId,
        item: proposal.item,
        title: proposal.title,
        requested_fen: proposal.requestedFen,
        state,
        machine_version: PROJECT_MACHINE_VERSION,
        snapshot: deps.machine.getPersistedSnapshot(snapshot),
        version: 1,
        last_hash: hash,
        created_at: now,
        updated_at: now,
        tags: projection.tags,
        fund_id: projection.fundId,
        accepted_grade: projection.acceptedGrade,
      };
      const body = viewProject(row, snapshot, actor);
      await insertProject(tx, {
        id: projectId,
        code,
        orgId,
        item: proposal.item,
        title: proposal.title,
        requestedFen: proposal.requestedFen,
        state,
        machineVersion: PROJECT_MACHINE_VERSION,
        snapshot: row.snapshot,
        projection,
        audit: { ...auditFields, hash },
        ...(idempotencyKey ? { idempotency: { userId: actor.userId, key: idempotencyKey, requestHash, status: 201, body } } : {}),
      });
      return { status: 201, body, replayed: false };
    });
  } catch (error) {
    if (idempotencyKey && pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
      const stored = await findStoredAnswer(deps.db, actor.userId, idempotencyKey);
      if (stored) return { status: stored.status, body: stored.body as ProjectView, replayed: true };
    }
    throw error;
  }
}

async function resolveApplicantOrg(deps: EngineDeps, actor: Actor, requested: string | undefined): Promise<string> {
  if (actor.role === 'applicant') {
    if (requested && requested !== actor.orgId) {
      throw new AppError('forbidden', 'an applicant may propose only for its own organisation');
    }
    return actor.orgId!;
  }
  if (!MAY_PROPOSE_FOR_OTHERS.has(actor.role)) {
    throw new AppError('forbidden', `a ${actor.role} may not propose projects`);
  }
  if (!requested) throw AppError.badInput([{ field: 'applicantOrgId', message: 'is required when proposing for an organisation' }]);
  const org = await findOrganisation(deps.db, requested);
  if (!org) throw AppError.badInput([{ field: 'applicantOrgId', message: 'no such organisation' }]);
  return org.id;
}
