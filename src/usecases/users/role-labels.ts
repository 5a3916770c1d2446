import type { Role } from '../../../config/roles.ts';

/** Names of the roles in the official register (WORDING.md: 县创建领导组, 省市主管部门, 县促进中心). */
export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  applicant: { zh: '项目单位', en: 'applicant unit' },
  center: { zh: '县促进中心', en: 'SME Center' },
  finance: { zh: '县财政局', en: 'Finance Bureau' },
  leadership: { zh: '县创建领导组', en: 'leadership group' },
  inspector: { zh: '监督检查人员', en: 'inspectors' },
  supervisor: { zh: '中心负责人', en: 'supervisor' },
  evaluator: { zh: '绩效评价人员', en: 'evaluators' },
  authority: { zh: '省市主管部门', en: 'provincial and municipal departments' },
  admin: { zh: '系统管理员', en: 'administrator' },
};

/** The organisations an applicant (项目单位) may belong to: units (offices, associations) and enterprises. */
export const APPLICANT_ORG_KINDS: ReadonlySet<string> = new Set(['unit', 'enterprise']);
