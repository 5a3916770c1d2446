import type { Actor } from '../../../machines/project.types.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { buildEvaluationReport, evaluationReportDocument } from '../../reports/evaluation-report.builder.ts';
import { loadEvaluationReportSource } from '../../reports/evaluation-report.loader.ts';
import { requireReader } from '../funds/read-policy.ts';

/** The latest evaluation of a project: the data and its printable document. */
export async function getEvaluationReport(deps: EngineDeps, actor: Actor, projectId: string) {
  requireReader('reports', actor.role, 'reports');
  const source = await loadEvaluationReportSource(deps.db, projectId);
  if (!source) throw new AppError('not-found', `project ${projectId} does not exist`);
  const now = deps.now();
  const report = buildEvaluationReport(source, now);
  if (!report) throw new AppError('not-found', `project ${source.project.code} has not been evaluated yet (尚无绩效评价)`);
  return { report, document: evaluationReportDocument(report), now };
}
