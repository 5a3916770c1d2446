import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { countProjectsByState } from '../../store/dashboard.store.ts';
import { requireDashboardReader } from './dashboard-access.ts';

/**
 * The funnel's stages, from proposal to closing, each the top-level state the projects list
 * filters by (`/projects?state=executing` also finds its sub-states). Ends that leave the funnel
 * (rejected, withdrawn, terminated) are counted apart.
 */
const STAGES = [
  { state: 'proposed', zh: '申报', en: 'Proposed' },
  { state: 'approved', zh: '已批准', en: 'Approved' },
  { state: 'executing', zh: '实施中', en: 'Executing' },
  { state: 'inspected', zh: '待出具检查结论', en: 'Awaiting inspection conclusion' },
  { state: 'deviated-corrected', zh: '整改', en: 'Correcting' },
  { state: 'suspended', zh: '暂缓执行', en: 'Suspended' },
  { state: 'evaluated', zh: '绩效评价', en: 'Evaluation' },
  { state: 'closed', zh: '已结项', en: 'Closed' },
] as const;
const ENDS = [
  { state: 'rejected', zh: '审核未通过', en: 'Rejected' },
  { state: 'withdrawn', zh: '已撤回', en: 'Withdrawn' },
  { state: 'terminated', zh: '已停止执行', en: 'Terminated' },
] as const;

const topOf = (state: string) => state.split('.')[0]!;

/** 项目漏斗: how many projects are in each stage now, and in each exact state. */
export async function getProjectFunnel(deps: EngineDeps, actor: Actor) {
  requireDashboardReader(actor.role);
  const rows = await countProjectsByState(deps.db);
  const countOf = (state: string) => rows.filter((row) => topOf(row.state) === state).reduce((sum, row) => sum + row.count, 0);
  return {
    total: rows.reduce((sum, row) => sum + row.count, 0),
    stages: STAGES.map((stage) => ({ ...stage, count: countOf(stage.state) })),
    ends: ENDS.map((end) => ({ ...end, count: countOf(end.state) })),
    byState: rows.sort((a, b) => a.state.localeCompare(b.state)),
  };
}
