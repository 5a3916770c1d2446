import { findItem } from '../../config/plan.ts';
import { acceptedEventTypes, type ProjectSnapshot } from '../../machines/project.refusals.ts';
import type { ProjectEventType } from '../../machines/project.schemas.ts';
import type { Actor, ProjectEvent } from '../../machines/project.types.ts';
import { getNextTransitions } from 'xstate';
import { authorizeEvent } from '../domain/authorization.ts';
import type { ProjectRow } from '../store/projects.store.ts';

/** "proposed.review", "executing": the flat name of a snapshot's state, as stored and filtered on. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0]!;
  return `${key}.${stateName(child)}`;
}

/**
 * Guards that read only the context, never the event's payload: whether they pass is known before
 * anyone fills in a form. Guards on the payload (an amount, a date, an outcome) cannot be decided
 * ahead; their events stay offered and a refusal explains itself when sent.
 */
const CONTEXT_ONLY_GUARDS: ReadonlySet<string> = new Set([
  'proposalComplete',
  'amendmentPending',
  'noOpenCorrection',
  'isNotLastApprovalStep',
  'suspendedFromApproved',
  'suspendedFromExecuting',
  'suspendedFromInspected',
  'suspendedFromCorrecting',
  'suspendedFromVerifying',
]);

/** Whether the state takes `type` but every transition for it is guarded by context-only guards that refuse now. */
function refusedByContext(snapshot: ProjectSnapshot, type: ProjectEventType, actor: Actor): boolean {
  const candidates = getNextTransitions(snapshot).filter((candidate) => candidate.eventType === type);
  const decidable = candidates.every((candidate) => typeof candidate.guard === 'string' && CONTEXT_ONLY_GUARDS.has(candidate.guard));
  if (!decidable) return false;
  // The machine's own can(): the same guards the command would meet, evaluated without running anything.
  const probe = { type, at: new Date(0).toISOString(), actor } as unknown as ProjectEvent;
  return !snapshot.can(probe);
}

/** What the caller may send now: the state takes it, the caller's role (and organisation) may send it, and no guard on the context refuses it. */
export function allowedEventsFor(actor: Actor, snapshot: ProjectSnapshot, orgId: string): ProjectEventType[] {
  const inReview = stateName(snapshot.value) === 'proposed.review';
  return acceptedEventTypes(snapshot).filter(
    (type) => authorizeEvent(type, actor, { orgId, context: snapshot.context, inReview }) === null && !refusedByContext(snapshot, type, actor),
  );
}

export interface ProjectSummary {
  id: string;
  code: string;
  title: string;
  state: string;
  version: number;
  orgId: string;
  item: { id: number; nameZh: string; nameEn: string };
  requestedFen: number;
  createdAt: string;
  updatedAt: string;
}

export function summarizeProject(row: ProjectRow): ProjectSummary {
  const item = findItem(row.item)!;
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    state: row.state,
    version: row.version,
    orgId: row.org_id,
    item: { id: item.id, nameZh: item.nameZh, nameEn: item.nameEn },
    requestedFen: row.requested_fen,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export function viewProject(row: ProjectRow, snapshot: ProjectSnapshot, actor: Actor) {
  return {
    ...summarizeProject(row),
    machineVersion: row.machine_version,
    context: snapshot.context,
    allowedEvents: allowedEventsFor(actor, snapshot, row.org_id),
  };
}

export type ProjectView = ReturnType<typeof viewProject>;
