/**
 * Plan items whose money benefits a named enterprise, so 就高不重复 needs the beneficiary's
 * 统一社会信用代码 (阳政办发〔2024〕74号, section 三):
 * - 8 服务新质生产力发展: "对优质企业在技术创新、管理创新、数字化转型……进行有针对性支持和帮助";
 * - 11 专精特新企业上市培育: services for named 专精特新 firms to list;
 * - 12 推动优质企业产学研协同创新: "帮助企业解决生产、技改中的技术难题".
 * The other items pay for public services, events, publicity and carriers (items 1-7, 9-10) or are
 * decided case by case by the county (13); their overlaps are found through contract and invoice numbers.
 */
export const ENTERPRISE_BENEFIT_ITEMS: readonly number[] = [8, 11, 12];
