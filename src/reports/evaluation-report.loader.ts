import type { Database } from '../store/database.ts';
import {
  loadProjectBalance,
  loadProjectEvents,
  loadProjectHeader,
  type ProjectBalance,
  type ProjectHeaderRow,
  type ReportEventRow,
} from './report-sources.loader.ts';

export interface EvaluationReportSource {
  project: ProjectHeaderRow;
  balance: ProjectBalance | null;
  /** The project's whole audit trail in order; the builder picks the evaluation events. */
  events: ReportEventRow[];
}

/** Undefined when the project does not exist. */
export async function loadEvaluationReportSource(db: Database, projectId: string): Promise<EvaluationReportSource | undefined> {
  const project = await loadProjectHeader(db, projectId);
  if (!project) return undefined;
  const [balance, events] = await Promise.all([loadProjectBalance(db, projectId), loadProjectEvents(db, projectId)]);
  return { project, balance, events };
}
