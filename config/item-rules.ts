import { z } from 'zod';
import type { QualificationId } from './qualifications.ts';

/**
 * The conditions of each of the plan's 13 items (阳政办发〔2024〕74号, section 三), as data. The
 * rules that read them are src/domain/item-rules.ts; the machine checks them at SUBMIT (budget
 * lines, training fees, listing, enterprise type) and at the final APPROVE (item 13's decision).
 */

/** Kinds of cost a budget line (预算明细) may name. */
export const BUDGET_CATEGORIES = [
  'platform-construction',
  'equipment-software',
  'operation-maintenance',
  'exhibition-booth',
  'event-organisation',
  'publicity-media',
  'training',
  'study-trip',
  'expert-consulting',
  'information-service',
  'listing-service',
  'research-cooperation',
  'other',
] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];


/** The board a listing cultivation project (item 11) aims at. */
export const LISTING_BOARDS = ['bse', 'star', 'chinext', 'neeq'] as const;
export type ListingBoard = (typeof LISTING_BOARDS)[number];

/** Who decides an item 13 matter. */
export const DECISION_BODIES = ['county-government', 'leadership-group'] as const;
export type DecisionBody = (typeof DECISION_BODIES)[number];

const categories = z.array(z.enum(BUDGET_CATEGORIES)).min(1);

export const itemRulesSchema = z.object({
  /**
   * 开支范围: the budget categories each item may pay for, from the item's own cost clause. An item
   * absent here has no cost clause in the plan (10, 13): any category passes and reviewers see a flag.
   */
  allowedCategories: z.record(z.string(), categories).default({
    // 1 "建设项目主要为平台的基础建设、硬软件购置、运营维护等采购"
    '1': ['platform-construction', 'equipment-software', 'operation-maintenance'],
    // 2 "对组织展会、搭建展位、举办产品推介、合作洽谈、媒体宣传活动等相关费用给予支持"
    '2': ['exhibition-booth', 'event-organisation', 'publicity-media'],
    // 3 大讲堂、创新大赛、创业路演等专题活动
    '3': ['event-organisation', 'expert-consulting', 'publicity-media'],
    // 4 电视、广播、报纸、杂志、网站、新媒体宣传
    '4': ['publicity-media'],
    // 5 "对与培训或外出考察学习的相关费用予以支持"
    '5': ['training', 'study-trip'],
    // 6 政策、市场、技术、人才、融资、知识产权信息服务和对接
    '6': ['information-service', 'expert-consulting', 'event-organisation'],
    // 7 创新创业讲座、创业指导
    '7': ['event-organisation', 'expert-consulting', 'publicity-media'],
    // 8 "通过提供信息咨询、项目对接、专项学习等方式"
    '8': ['expert-consulting', 'information-service', 'event-organisation', 'training', 'study-trip'],
    // 9 "帮助其开展相关对接服务和学习考察……进行协调服务"
    '9': ['event-organisation', 'study-trip', 'expert-consulting'],
    // 11 "对用于支持、服务专精特新企业成功登陆上述板块上市挂牌的相关费用给予支持"
    '11': ['listing-service', 'expert-consulting'],
    // 12 "对政府助推产学研项目、组织邀请大专院校、科研机构等开展产学研协同创新的相关费用予以支持"
    '12': ['research-cooperation', 'expert-consulting', 'event-organisation'],
  }),
  /**
   * Item 5: "培训学习费严格按照我县相关的管理规定执行". The county's own figures replace these
   * defaults (450 元 per person per day, 100,000 元 per training session).
   */
  trainingFeeCaps: z
    .object({
      perPersonPerDayFen: z.int().positive().default(45_000),
      perSessionFen: z.int().positive().default(10_000_000),
    })
    .prefault({}),
  /** The budget categories the training caps apply to. */
  trainingCategories: z.array(z.enum(BUDGET_CATEGORIES)).default(['training']),
  /** Items whose plan text has no cost clause: reviewers see a flag and judge the costs themselves. */
  noCostClauseItems: z.array(z.int().min(1).max(13)).default([10]),
  /** Item 11: a listing cultivation project names its board and the announcement of the listing. */
  listingItems: z.array(z.int().min(1).max(13)).default([11]),
  /** Item 12: the beneficiary must be one of these enterprise types in the beneficiary registry. */
  enterpriseTypeItems: z.array(z.int().min(1).max(13)).default([12]),
  /** Item 13: the final approval names a decision of the county government or the leadership group. */
  decisionItems: z.array(z.int().min(1).max(13)).default([13]),
});

export type ItemRules = z.infer<typeof itemRulesSchema>;

export const DEFAULT_ITEM_RULES: ItemRules = itemRulesSchema.parse({});

/** Item 12: "支持专精特新企业、高新技术企业、科技型中小企业、创新型中小企业技术创新". */
export const ITEM_12_QUALIFICATIONS: readonly QualificationId[] = [
  'national-little-giant',
  'provincial-specialized',
  'high-tech',
  'tech-sme',
  'innovative-sme',
];

/**
 * Item 11: "重点组织国家级专精特新“小巨人”对接北交所、科创板和创业板，省级专精特新中小企业和创新型中小企业对接“新三板”".
 * A board outside the beneficiary's usual path is not refused (the plan says 重点, not only): reviewers see a flag.
 */
export const BOARDS_BY_QUALIFICATION: Partial<Record<QualificationId, readonly ListingBoard[]>> = {
  'national-little-giant': ['bse', 'star', 'chinext', 'neeq'],
  'provincial-specialized': ['neeq'],
  'innovative-sme': ['neeq'],
};
