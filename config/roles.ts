/** Roles of DESIGN.md. A user has exactly one role and belongs to one organisation. */
export const ROLES = [
  'applicant',
  'center',
  'finance',
  'leadership',
  'inspector',
  'supervisor',
  'evaluator',
  'authority',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  applicant: { zh: '项目单位', en: 'Applicant unit' },
  center: { zh: '县促进中心', en: 'SME Center reviewer' },
  finance: { zh: '县财政局', en: 'Finance Bureau' },
  leadership: { zh: '县创建领导组', en: 'County leadership group' },
  inspector: { zh: '监督检查人员', en: 'Inspector' },
  supervisor: { zh: '中心负责人', en: 'Supervisor' },
  evaluator: { zh: '绩效评价人员', en: 'Evaluator' },
  authority: { zh: '省市主管部门', en: 'Authority (reader)' },
  admin: { zh: '系统管理员', en: 'Administrator' },
};

/** Roles that may appear as steps of the approval chain, in the order the plan fixes. */
export const APPROVAL_ROLES = ['center', 'finance', 'leadership'] as const;
export type ApprovalRole = (typeof APPROVAL_ROLES)[number];
