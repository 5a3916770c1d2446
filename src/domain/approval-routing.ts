import type { LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { ApprovalRole } from '../../config/roles.ts';

/**
 * The approval chain of a proposal: the SME Center, then the Finance Bureau, then the leadership
 * group when the item is one the leadership decides (item 13) or the amount is at or above the
 * configured threshold.
 */
export function routeApprovalChain(item: number, requestedFen: number, rules: LifecycleRules): ApprovalRole[] {
  const chain: ApprovalRole[] = ['center', 'finance'];
  if (rules.leadershipItems.includes(item) || requestedFen >= rules.leadershipThresholdFen) chain.push('leadership');
  return chain;
}
