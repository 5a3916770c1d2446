import type { Role } from '../../../../config/roles.ts';

/**
 * Who sees the 人员与单位 page and which tabs: admins everything; center and finance the
 * beneficiary registry and the rules; other staff the rules only; applicants nothing. Kept apart
 * from the page so the menu does not load the page's code.
 */
export type AdminTab = 'orgs' | 'users' | 'tokens' | 'beneficiaries' | 'rules';

export function adminTabsOf(role: string): AdminTab[] {
  if (role === 'admin') return ['users', 'orgs', 'tokens', 'beneficiaries', 'rules'];
  if (role === 'center' || role === 'finance') return ['beneficiaries', 'rules'];
  if (role === 'applicant') return [];
  return ['rules'];
}

/** The menu entry's words by role: the page's name says what the role finds there. */
export function adminMenuLabel(role: Role | string, lang: 'zh' | 'en'): string | null {
  const tabs = adminTabsOf(role);
  if (tabs.length === 0) return null;
  if (tabs.includes('users')) return lang === 'zh' ? '人员与单位' : 'People and units';
  if (tabs.includes('beneficiaries')) return lang === 'zh' ? '受益企业与规则' : 'Beneficiaries and rules';
  return lang === 'zh' ? '规则' : 'Rules';
}
