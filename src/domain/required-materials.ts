import { requirementFor, type MaterialGroup, type RequiredMaterials } from '../../config/required-materials.ts';
import { labelOf } from '../i18n/messages.ts';
import { refusal, type Refusal } from './refusal.ts';
import type { AttachmentKind } from './vocabulary.ts';

export type { RequiredMaterials } from '../../config/required-materials.ts';

/** One attached file as the check sees it: its kind, its hash and the audit seq of its upload. */
export interface AttachedMaterial {
  id: string;
  kind: AttachmentKind;
  sha256: string;
  /** The seq of the ATTACH_FILE audit event that recorded the upload. */
  auditSeq: number;
}

/** What the engine loads before the pure check (load first, decide purely). */
export interface MaterialFacts {
  item: number;
  eventType: string;
  /** CONCLUDE_INSPECTION's outcome. */
  outcome?: string | undefined;
  /** DISBURSE's 国库支付凭证 number. */
  voucher?: string | undefined;
  attachments: readonly AttachedMaterial[];
  /** The seq of the previous event of the same type (0: none): a `fresh` group counts only later uploads. */
  previousSameEventSeq: number;
}

export interface MaterialCheck {
  /** Null when nothing is missing; else one refusal that lists everything missing. */
  refusal: Refusal | null;
  /** The files the event stands on (stamped on the audit event by their hashes). */
  used: { attachmentId: string; kind: AttachmentKind; sha256: string }[];
}

const kindName = (kind: AttachmentKind) => labelOf('attachmentKind', kind);

function matchingFiles(group: MaterialGroup, facts: MaterialFacts): AttachedMaterial[] {
  return facts.attachments.filter((file) => group.anyOf.includes(file.kind) && (!group.fresh || file.auditSeq > facts.previousSameEventSeq));
}

/** The groups of files an event still lacks (a seed or a page uses it to ask for exactly those). */
export function missingMaterialGroups(rules: RequiredMaterials, facts: MaterialFacts): MaterialGroup[] {
  const requirement = requirementFor(rules, facts.item, facts.eventType);
  if (!requirement) return [];
  if (requirement.outcomes && !requirement.outcomes.includes(facts.outcome as never)) return [];
  return requirement.groups.filter((group) => matchingFiles(group, facts).length === 0);
}

/**
 * What an event still lacks under the required-materials rules: for each group with no matching
 * file, its kinds ("合同或发票或验收材料"); for DISBURSE, a 国库支付凭证 number that is absent or not
 * in the configured format. Pure: the caller passes the project's attachments in.
 */
export function checkRequiredMaterials(rules: RequiredMaterials, facts: MaterialFacts): MaterialCheck {
  const requirement = requirementFor(rules, facts.item, facts.eventType);
  if (!requirement) return { refusal: null, used: [] };
  if (requirement.outcomes && !requirement.outcomes.includes(facts.outcome as never)) return { refusal: null, used: [] };

  const missingZh: string[] = [];
  const missingEn: string[] = [];
  const missingCodes: string[] = [];
  const used: MaterialCheck['used'] = [];
  for (const group of requirement.groups) {
    const matching = matchingFiles(group, facts);
    if (matching.length === 0) {
      const freshZh = group.fresh ? '（须在上次同类办理之后上传）' : '';
      const freshEn = group.fresh ? ' (uploaded since the previous event of this kind)' : '';
      missingZh.push(group.anyOf.map((kind) => kindName(kind).zh).join('或') + freshZh);
      missingEn.push(group.anyOf.map((kind) => kindName(kind).en).join(' or ') + freshEn);
      missingCodes.push(group.anyOf.join('|'));
      continue;
    }
    for (const file of matching) {
      if (!used.some((seen) => seen.attachmentId === file.id)) used.push({ attachmentId: file.id, kind: file.kind, sha256: file.sha256 });
    }
  }
  if (requirement.voucherNumber) {
    const voucher = (facts.voucher ?? '').trim();
    if (voucher === '') {
      missingZh.push('国库支付凭证号');
      missingEn.push('the treasury payment voucher number');
      missingCodes.push('voucher');
    } else if (!new RegExp(rules.voucherPattern, 'u').test(voucher)) {
      missingZh.push(`格式正确的国库支付凭证号（“${voucher}”不符合规定格式）`);
      missingEn.push(`a treasury payment voucher number in the set format ("${voucher}" is not)`);
      missingCodes.push('voucher-format');
    }
  }
  if (missingZh.length === 0) return { refusal: null, used };
  return {
    refusal: refusal(
      'materials-missing',
      `缺少所需材料：${missingZh.join('；')}。请先在项目页上传后再办理`,
      `required materials are missing: ${missingEn.join('; ')}. Upload them on the project page first`,
      { missing: missingCodes.join(',') },
    ),
    used,
  };
}
