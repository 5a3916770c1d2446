import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { buildSupervisionReport, supervisionReportDocument } from '../../reports/supervision-report.builder.ts';
import { loadSupervisionReportSource } from '../../reports/supervision-report.loader.ts';
import { requireReader } from '../funds/read-policy.ts';

/** Supervision in a period of business dates. */
export async function getSupervisionReport(deps: EngineDeps, actor: Actor, period: { from: string; to: string }) {
  requireReader('reports', actor.role, 'reports');
  const source = await loadSupervisionReportSource(deps.db, period.from, period.to);
  const now = deps.now();
  const report = buildSupervisionReport(source, now);
  return { report, document: supervisionReportDocument(report), now };
}
