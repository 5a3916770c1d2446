import { LINK_DECISIONS } from '../../config/task-rules.ts';
import { eventPayloadSchemas, type ProjectEventType } from '../../machines/project.schemas.ts';
import type { Actor } from '../../machines/project.types.ts';
import type { TaskRow } from '../store/tasks.store.ts';
import { AppError } from './app-error.ts';

export type Decision = 'approve' | 'reject' | 'return';

/** May this person act on this task: its assignee, or a candidate of its role (and organisation). */
export function isCandidate(task: TaskRow, actor: Actor): boolean {
  if (task.assignee_id) return task.assignee_id === actor.userId;
  return task.role === actor.role && (task.org_id === null || task.org_id === actor.orgId);
}

/** The event a decision on a task sends, with its payload; a comment is required to reject or return. */
export function eventForDecision(
  task: TaskRow,
  decision: Decision,
  comment: string | undefined,
  decisionReference?: Record<string, unknown>,
): { type: ProjectEventType; payload: Record<string, unknown> } {
  const mapping = LINK_DECISIONS[task.kind]?.[decision];
  if (!mapping) {
    throw AppError.badInput([{ field: 'decision', message: `a ${task.kind} task cannot be decided with ${decision}; act on the project instead` }]);
  }
  const text = comment?.trim();
  if (decision !== 'approve' && !text) {
    throw AppError.badInput([{ field: 'comment', message: 'a comment is required to reject or return (驳回或退回须填写意见)' }]);
  }
  const type = mapping.event as ProjectEventType;
  const raw: Record<string, unknown> = text && mapping.textField ? { [mapping.textField]: text } : {};
  // An approval of item 13 names the decision of 县政府 or 县创建领导组 (APPROVE's decisionReference).
  if (decisionReference && type === 'APPROVE') raw.decisionReference = decisionReference;
  const parsed = eventPayloadSchemas[type].safeParse(raw);
  if (!parsed.success) throw AppError.badInput(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'comment', message: issue.message })));
  return { type, payload: parsed.data as Record<string, unknown> };
}
