/**
 * The plan as data: 阳政办发〔2024〕74号, section 三 (4 categories, 13 items).
 * Source: ../shared/seed/README.md.
 */
export const PLAN_DOCUMENT_NUMBER = '阳政办发〔2024〕74号';
export const PLAN_TITLE_ZH = '阳城县创建中小企业高质量发展示范县绩效考核奖励资金使用方案';
export const PLAN_TITLE_EN = 'Yangcheng County SME high-quality-development demonstration county reward fund: plan of use';
export const FUND_SOURCE_DOCUMENT = '晋企发〔2023〕1号';

/** The documents the plan rests on (its preamble) and the plan itself: reports cite them. */
export const BASIS_DOCUMENTS: readonly { number: string; titleZh: string }[] = [
  { number: '晋政办函〔2020〕99号', titleZh: '山西省人民政府办公厅《关于开展中小企业高质量发展示范县（开发区）创建工作的通知》' },
  { number: '阳发〔2020〕14号', titleZh: '中共阳城县委、阳城县人民政府《关于创建全省中小企业高质量发展示范县的工作方案》' },
  { number: FUND_SOURCE_DOCUMENT, titleZh: '山西省民营经济发展局《关于下达2022年度创建中小企业高质量发展示范县（开发区）绩效考核奖励资金和支持开发区建设中小企业园项目资金的通知》' },
  { number: PLAN_DOCUMENT_NUMBER, titleZh: `阳城县人民政府办公室《${PLAN_TITLE_ZH}》` },
];

export type CategoryId = 1 | 2 | 3 | 4;

export interface PlanCategory {
  id: CategoryId;
  numeral: string;
  nameZh: string;
  nameEn: string;
}

export interface PlanItem {
  id: number;
  category: CategoryId;
  nameZh: string;
  nameEn: string;
}

export const CATEGORIES: readonly PlanCategory[] = [
  { id: 1, numeral: '一', nameZh: '服务体系', nameEn: 'Service system' },
  { id: 2, numeral: '二', nameZh: '创业创新载体', nameEn: 'Innovation and start-up carriers' },
  { id: 3, numeral: '三', nameZh: '专精特新', nameEn: 'Specialised, refined, distinctive and innovative firms' },
  { id: 4, numeral: '四', nameZh: '其他', nameEn: 'Other' },
];

export const ITEMS: readonly PlanItem[] = [
  { id: 1, category: 1, nameZh: '建设“阳城县企业服务平台”', nameEn: 'County enterprise service platform' },
  { id: 2, category: 1, nameZh: '展览展示', nameEn: 'Exhibitions and trade fairs' },
  { id: 3, category: 1, nameZh: '专题活动', nameEn: 'Themed events' },
  { id: 4, category: 1, nameZh: '媒体网络宣传', nameEn: 'Media and online publicity' },
  { id: 5, category: 1, nameZh: '培训学习', nameEn: 'Training and study trips' },
  { id: 6, category: 1, nameZh: '信息服务', nameEn: 'Information services' },
  { id: 7, category: 1, nameZh: '双创活动', nameEn: 'Innovation and entrepreneurship activities' },
  { id: 8, category: 1, nameZh: '服务新质生产力发展', nameEn: 'Support for new quality productive forces' },
  { id: 9, category: 2, nameZh: '鼓励创业创新载体建设', nameEn: 'New innovation and start-up carriers' },
  { id: 10, category: 2, nameZh: '提升创业创新载体', nameEn: 'Upgrading existing carriers' },
  { id: 11, category: 3, nameZh: '专精特新企业上市培育', nameEn: 'Listing cultivation of 专精特新 firms' },
  { id: 12, category: 3, nameZh: '推动优质企业产学研协同创新', nameEn: 'Industry-university-research collaboration' },
  { id: 13, category: 4, nameZh: '县政府、领导组支持事项', nameEn: 'Items decided by the county government or leadership group' },
];

export const ITEM_IDS = ITEMS.map((item) => item.id);

export function findItem(id: number): PlanItem | undefined {
  return ITEMS.find((item) => item.id === id);
}
