import { z } from 'zod';
import type { EngineDeps } from '../engine/engine-deps.ts';
import { verifyAudit, type AuditVerifyReport } from '../usecases/audit/verify-audit.ts';
import { UsageError, parseFlags } from './cli-errors.ts';

export { AUDIT_BATCH_SIZE, checkProjectChain, type AuditVerifyReport, type BrokenChain } from '../usecases/audit/verify-audit.ts';

export const auditVerifyFlags = z.object({
  project: z.uuid({ message: 'must be a project id (a UUID)' }).optional(),
});

/** `audit:verify [--project <id>]`: every project's hash chain recomputed (see verifyAudit). */
export async function auditVerifyCommand(db: EngineDeps['db'], flags: z.input<typeof auditVerifyFlags> = {}): Promise<AuditVerifyReport> {
  const input = parseFlags(auditVerifyFlags, flags);
  const report = await verifyAudit({ db }, input);
  if (input.project && report.projectsChecked === 0) throw new UsageError(`--project: no project with id ${input.project}`);
  return report;
}

/** The one line printed on stderr for a broken trail. */
export function describeBroken(report: AuditVerifyReport): string {
  const first = report.firstBroken!;
  const more = report.brokenProjects > 1 ? ` (and ${report.brokenProjects - 1} more broken project(s))` : '';
  return `audit:verify: chain broken in project ${first.projectId} (${first.code}) at seq ${first.seq}: ${first.problem}${more}`;
}
