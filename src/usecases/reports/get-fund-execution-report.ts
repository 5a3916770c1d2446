import type { Actor } from '../../../machines/project.types.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { buildFundExecutionReport, fundExecutionReportDocument } from '../../reports/fund-execution-report.builder.ts';
import { loadFundExecutionSource } from '../../reports/fund-execution-report.loader.ts';
import { requireReader } from '../funds/read-policy.ts';

/** Execution of a fund (or all funds) by category and item: money data, so the money readers. */
export async function getFundExecutionReport(deps: EngineDeps, actor: Actor, fundId: string | null) {
  requireReader('money', actor.role, 'the fund-execution report');
  const source = await loadFundExecutionSource(deps.db, fundId);
  if (!source) throw new AppError('not-found', `fund ${fundId} does not exist`);
  const now = deps.now();
  const report = buildFundExecutionReport(source, now);
  return { report, document: fundExecutionReportDocument(report), now };
}
