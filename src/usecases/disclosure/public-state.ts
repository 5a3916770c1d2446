/**
 * Which state the public reads (公示). Supervision states (an inspection awaiting its conclusion, a
 * deviation under correction, a suspension) are working states of the county's supervision: shown
 * as they happen they would publish an allegation before it is concluded, and the security review
 * flagged it. The public therefore sees 实施中 until the outcome is final: back to execution (still
 * 实施中), 绩效评价 and 结项, or 已停止执行 when the stop is confirmed. Pure, no I/O.
 */
export type PublicState = 'approved' | 'executing' | 'evaluating' | 'closed' | 'terminated';

export const PUBLIC_STATE_ZH: Record<PublicState, string> = {
  approved: '已批准',
  executing: '实施中',
  evaluating: '绩效评价中',
  closed: '已结项',
  terminated: '已停止执行',
};

export const PUBLIC_STATE_EN: Record<PublicState, string> = {
  approved: 'Approved',
  executing: 'Under way',
  evaluating: 'Being evaluated',
  closed: 'Closed',
  terminated: 'Stopped',
};

/** The public state of a disclosed project's machine state ('deviated-corrected.correcting' → 'executing'). */
export function publicStateOf(state: string): PublicState {
  const top = state.split('.')[0];
  switch (top) {
    case 'approved':
      return 'approved';
    case 'evaluated':
      return 'evaluating';
    case 'closed':
      return 'closed';
    case 'terminated':
      return 'terminated';
    // executing, inspected, deviated-corrected, suspended: supervision in progress, not disclosed.
    default:
      return 'executing';
  }
}
