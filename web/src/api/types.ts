import type { ProjectEventType } from '../../../machines/project.schemas.ts';
import type { ProjectContext } from '../../../machines/project.types.ts';

/**
 * Bodies of the answers the pages read. The OpenAPI document describes requests and parameters
 * (web/src/api/schema.d.ts) but not these bodies yet, so they are written here from the routes.
 */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: string;
  orgId: string | null;
  orgName: string | null;
  locale?: string | null;
}

export interface Me {
  user: SessionUser;
  csrfToken: string;
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

export interface ProjectView extends ProjectSummary {
  machineVersion: string;
  context: ProjectContext;
  allowedEvents: ProjectEventType[];
}

/** A list row: the summary with the 双监控 light (executing projects; null otherwise) and whether anything is past due. */
export interface ProjectListItem extends ProjectSummary {
  light: 'green' | 'yellow' | 'red' | null;
  overdue: boolean;
}

export interface ProjectPage {
  items: ProjectListItem[];
  nextCursor: string | null;
}

export interface HistoryEvent {
  seq: number;
  type: string;
  actor: { id: string | null; role: string; name: string | null };
  channel: string;
  from: string | null;
  to: string | null;
  payload: Record<string, unknown> | null;
  reason: string | null;
  at: string;
}

export interface History {
  projectId: string;
  code: string;
  events: HistoryEvent[];
}

export interface Task {
  id: string;
  kind: string;
  projectId: string;
  projectCode: string;
  projectTitle: string;
  role: string;
  assigneeId: string | null;
  status: string;
  dueDate: string;
  overdue: boolean;
  /** The project's item (1-13). */
  item: number;
}

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

/** GET /api/v1/tasks/counts: my open tasks per kind (the menu), overdue and due today on the Beijing date `today`. */
export interface TaskCounts {
  today: string;
  open: number;
  overdue: number;
  dueToday: number;
  byKind: { kind: string; open: number; overdue: number; dueToday: number }[];
}

export interface TaskHolder {
  userId: string;
  name: string;
  role: string;
  orgName: string | null;
}

/** GET /api/v1/projects/{id}/tasks: the project's open tasks and who holds them. */
export interface ProjectTasks {
  projectId: string;
  code: string;
  today: string;
  items: {
    id: string;
    kind: string;
    step: number | null;
    role: string;
    orgId: string | null;
    orgName: string | null;
    dueDate: string;
    overdue: boolean;
    assigned: boolean;
    holders: TaskHolder[];
    holderCount: number;
    openedAt: string;
  }[];
}

export interface Reminder {
  id: string;
  at: string;
  offsetDays: number;
  escalation: boolean;
  audience: string;
  status: string;
  reason: string | null;
}

export interface Schedule {
  projectId: string;
  code: string;
  deadlines: { deadline: string; dueDate: string; status: string; generation: number; reminders: Reminder[] }[];
}

export interface LedgerEntry {
  id: number;
  kind: 'allocate' | 'commit' | 'disburse' | 'release' | 'recover';
  projectId: string | null;
  amountFen: number;
  at: string;
  reason: string | null;
}
