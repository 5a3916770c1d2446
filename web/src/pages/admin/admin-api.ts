/** Shapes of the admin, rules and beneficiary answers as the pages read them (their OpenAPI entries are loose objects). */
export interface OrgView {
  id: string;
  name: string;
  kind: string;
  creditCode: string | null;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: string;
  orgId: string | null;
  orgName: string | null;
  locale: 'zh-CN' | 'en';
  active: boolean;
  createdAt: string;
  liveTokens: number;
  lastSignInAt: string | null;
}

export interface TokenView {
  tokenHash: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface BeneficiaryView {
  creditCode: string;
  name: string;
  qualifications: string[];
  provincialOrAbove: boolean;
  listingReserve: boolean;
  listingReserveSince: string | null;
}

export interface PriorSupportView {
  id: string;
  policy: string;
  level: 'national' | 'provincial' | 'municipal' | 'county';
  year: number;
  item: number | null;
  amountFen: number;
  contractNumbers: string[];
  invoiceNumbers: string[];
}

type Words = { zh: string; en: string };

export interface RulesView {
  plan: {
    titleZh: string;
    titleEn: string;
    documentNumber: string;
    fundSourceDocument: string;
    categories: Array<{ id: number; nameZh: string; nameEn: string; items: Array<{ id: number; nameZh: string; nameEn: string; ceilingFen: number | null; alwaysNeedsLeadership: boolean; needsBeneficiaryCreditCode: boolean; conditions: Words[] }> }>;
  };
  approval: { leadershipThresholdFen: number; leadershipItems: number[] } & Words;
  cadences: Array<{ key: string; days: number } & Words>;
  taskDueDays: Array<{ kind: string; days: number } & Words>;
  reminders: { sendHour: number; policies: Array<{ deadline: string; audience: Words; escalateTo: Words; summaryZh: string } & Words> } & Words;
  tranche: { zh: string[]; en: string[] };
  materials: { voucherPattern: string; events: Array<{ event: string; nameZh: string; nameEn: string; items: Array<{ item: number } & Words> } & Words> };
  overlap: Words;
  scoring: { levelWeights: Array<{ level: string; points: number }>; grades: Array<{ grade: string; zh: string }> } & Words;
  monitoring: { yellowBehindPoints: number; redBehindPoints: number; dailyChecks: Words; monthlyReports: Words } & Words;
}

export const ORG_KIND_NAMES: Record<string, Words> = {
  center: { zh: '县促进中心', en: 'SME Center' },
  finance: { zh: '县财政局', en: 'Finance Bureau' },
  leadership: { zh: '县创建领导组', en: 'Leadership group' },
  unit: { zh: '项目单位（机关、协会等）', en: 'Unit (office, association)' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  authority: { zh: '省市主管部门', en: 'Provincial or municipal department' },
  operator: { zh: '系统运维', en: 'Operator' },
};

export const SUPPORT_LEVEL_NAMES: Record<PriorSupportView['level'], Words> = {
  national: { zh: '国家级', en: 'National' },
  provincial: { zh: '省级', en: 'Provincial' },
  municipal: { zh: '市级', en: 'Municipal' },
  county: { zh: '县级', en: 'County' },
};
