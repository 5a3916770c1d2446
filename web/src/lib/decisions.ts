import type { Lang } from './labels.ts';

export type Decision = 'approve' | 'reject' | 'return';

/**
 * What the inbox may decide per task kind, and the button words (WORDING.md: buttons fit the
 * decision). The same decisions as the email link (config/task-rules.ts LINK_DECISIONS).
 */
const DECISIONS: Record<string, Partial<Record<Decision, { zh: string; en: string }>>> = {
  review: { approve: { zh: '同意', en: 'Approve' }, return: { zh: '退回修改', en: 'Return' }, reject: { zh: '不同意', en: 'Reject' } },
  'review-evaluation': { approve: { zh: '审查通过', en: 'Accept' }, reject: { zh: '组织再评价', en: 'Order re-evaluation' } },
  'decide-amendment': { approve: { zh: '同意变更', en: 'Approve amendment' }, reject: { zh: '不同意变更', en: 'Reject amendment' } },
  'confirm-stop': { approve: { zh: '确认停止执行', en: 'Confirm stop' } },
};

export function decisionsFor(kind: string): Decision[] {
  const table = DECISIONS[kind];
  if (!table) return [];
  return (['approve', 'return', 'reject'] as const).filter((decision) => table[decision] !== undefined);
}

export function decisionLabel(kind: string, decision: Decision, lang: Lang): string {
  return DECISIONS[kind]?.[decision]?.[lang] ?? decision;
}
