/** Qualification levels of a beneficiary, highest first; the listing reserve list (item 11) puts provincial level and above first. */
export const QUALIFICATIONS = [
  { id: 'national-little-giant', zh: '国家级专精特新“小巨人”企业', en: 'National "little giant"', provincialOrAbove: true },
  { id: 'provincial-specialized', zh: '省级专精特新中小企业', en: 'Provincial 专精特新 SME', provincialOrAbove: true },
  { id: 'innovative-sme', zh: '创新型中小企业', en: 'Innovative SME', provincialOrAbove: false },
  { id: 'high-tech', zh: '高新技术企业', en: 'High-tech enterprise', provincialOrAbove: false },
  /** Named by item 12 of the plan (支持专精特新企业、高新技术企业、科技型中小企业、创新型中小企业技术创新). */
  { id: 'tech-sme', zh: '科技型中小企业', en: 'Technology-based SME', provincialOrAbove: false },
] as const;

export type QualificationId = (typeof QUALIFICATIONS)[number]['id'];
export const QUALIFICATION_IDS = QUALIFICATIONS.map((q) => q.id) as [QualificationId, ...QualificationId[]];
