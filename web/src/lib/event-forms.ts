import { DECISION_BODIES, DEFAULT_ITEM_RULES } from '../../../config/item-rules.ts';
import { labelOf } from '../../../src/i18n/messages.ts';
import { parseYuanToFen } from './format.ts';

/**
 * Which fields each event's form asks for, and how form values become the event payload that
 * eventPayloadSchemas (machines/project.schemas.ts) then validates, in the page as on the server.
 */
export type FieldKind = 'textarea' | 'text' | 'date' | 'yuan' | 'radio' | 'list';

export interface FieldSpec {
  name: string;
  zh: string;
  en: string;
  kind: FieldKind;
  required?: boolean;
  options?: { value: string; zh: string; en: string }[];
  /** Shown only when another field has this value. */
  when?: { field: string; value: string };
}

const comment = (required = false): FieldSpec => ({ name: 'comment', zh: required ? '意见' : '意见（可选）', en: required ? 'Comment' : 'Comment (optional)', kind: 'textarea', required });
const reason: FieldSpec = { name: 'reason', zh: '理由', en: 'Reason', kind: 'textarea', required: true };

export const EVENT_FIELDS: Record<string, FieldSpec[]> = {
  SUBMIT: [comment()],
  WITHDRAW: [{ name: 'reason', zh: '撤回理由（可选）', en: 'Reason (optional)', kind: 'textarea' }],
  APPROVE: [comment()],
  REJECT: [comment(true)],
  RETURN: [comment(true)],
  APPROVE_AMENDMENT: [comment()],
  REJECT_AMENDMENT: [reason],
  DISBURSE: [
    { name: 'amount', zh: '本次拨付金额（元）', en: 'Amount (yuan)', kind: 'yuan', required: true },
    { name: 'voucher', zh: '国库支付凭证号', en: 'Treasury payment voucher number', kind: 'text', required: true },
    comment(),
  ],
  RECORD_INSPECTION: [
    {
      name: 'kind',
      zh: '检查类型',
      en: 'Kind',
      kind: 'radio',
      required: true,
      options: [
        { value: 'regular', zh: '定期检查', en: 'Regular' },
        { value: 'unannounced', zh: '不定期检查', en: 'Unannounced' },
      ],
    },
    { name: 'date', zh: '检查日期', en: 'Date', kind: 'date', required: true },
    { name: 'inspectors', zh: '检查人员（多人用顿号或逗号分隔）', en: 'Inspectors (comma separated)', kind: 'list', required: true },
    { name: 'findings', zh: '检查发现', en: 'Findings', kind: 'textarea' },
  ],
  CONCLUDE_INSPECTION: [
    {
      name: 'outcome',
      zh: '检查结论',
      en: 'Outcome',
      kind: 'radio',
      required: true,
      options: [
        { value: 'on-track', zh: '按计划推进', en: 'On track' },
        { value: 'deviation', zh: '存在偏差，限期整改', en: 'Deviation, correct by a date' },
        { value: 'serious', zh: '偏离严重，暂缓执行', en: 'Serious: suspend' },
      ],
    },
    { ...comment(), when: { field: 'outcome', value: 'on-track' } },
    { name: 'correction', zh: '整改要求', en: 'What to correct', kind: 'textarea', required: true, when: { field: 'outcome', value: 'deviation' } },
    { name: 'dueDate', zh: '整改期限', en: 'Correct by', kind: 'date', required: true, when: { field: 'outcome', value: 'deviation' } },
    { ...reason, when: { field: 'outcome', value: 'serious' } },
  ],
  SUBMIT_CORRECTION: [{ name: 'text', zh: '整改情况', en: 'What was corrected', kind: 'textarea', required: true }],
  ACCEPT_CORRECTION: [comment()],
  REJECT_CORRECTION: [reason, { name: 'dueDate', zh: '新的整改期限', en: 'New due date', kind: 'date', required: true }],
  EXTEND_DEADLINE: [
    { name: 'newDate', zh: '延长至', en: 'New date', kind: 'date', required: true },
    reason,
  ],
  SUSPEND: [{ ...reason, zh: '暂缓理由' }],
  RESUME: [{ ...reason, zh: '恢复理由' }],
  STOP: [{ ...reason, zh: '停止理由' }],
  CONFIRM_STOP: [comment()],
  COMPLETE: [{ name: 'summary', zh: '完成情况（可选）', en: 'Summary (optional)', kind: 'textarea' }],
  ACCEPT_EVALUATION: [comment()],
  REQUEST_REEVALUATION: [{ ...reason, zh: '再评价理由' }],
  CLOSE: [comment()],
};

/** Item 13's last approval step: the 会议纪要 of 县政府 or 县创建领导组 (config/item-rules.ts decisionItems). */
export const DECISION_ITEMS: readonly number[] = DEFAULT_ITEM_RULES.decisionItems;
export const DECISION_FIELDS: FieldSpec[] = [
  {
    name: 'decisionBody',
    zh: '决定机关',
    en: 'Decided by',
    kind: 'radio',
    required: true,
    options: DECISION_BODIES.map((body) => ({ value: body, ...labelOf('decisionBody', body) })),
  },
  { name: 'decisionNumber', zh: '会议纪要文号', en: 'Minutes number', kind: 'text', required: true },
  { name: 'decisionDate', zh: '会议日期', en: 'Meeting date', kind: 'date', required: true },
];

interface ProjectForFields {
  context: { proposal: { item: number }; approval: { chain: readonly string[]; step: number } };
}

/** The fields of an event's form for this project: the final approval of item 13 also asks for the decision. */
export function eventFieldsFor(type: string, project: ProjectForFields): FieldSpec[] {
  const fields = EVENT_FIELDS[type] ?? [];
  const { approval, proposal } = project.context;
  if (type === 'APPROVE' && DECISION_ITEMS.includes(proposal.item) && approval.step >= approval.chain.length - 1) return [...DECISION_FIELDS, ...fields];
  return fields;
}

const trimmed = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** Form values → payload. Unparseable amounts stay out, so the schema names the field. */
export function payloadOf(type: string, values: Record<string, unknown>, state: string): Record<string, unknown> {
  switch (type) {
    case 'DISBURSE': {
      const fen = typeof values.amount === 'string' ? parseYuanToFen(values.amount) : null;
      return { ...(fen !== null ? { amountFen: fen } : {}), voucher: trimmed(values.voucher), comment: trimmed(values.comment) };
    }
    case 'RECORD_INSPECTION': {
      const inspectors = String(values.inspectors ?? '')
        .split(/[、,，;；\n]/)
        .map((name) => name.trim())
        .filter(Boolean);
      const findings = trimmed(values.findings);
      return { kind: values.kind, date: values.date, inspectors, findings: findings ? [{ note: findings }] : [], evidence: [] };
    }
    case 'CONCLUDE_INSPECTION':
      if (values.outcome === 'deviation') return { outcome: 'deviation', correction: trimmed(values.correction), dueDate: values.dueDate };
      if (values.outcome === 'serious') return { outcome: 'serious', reason: trimmed(values.reason) };
      return { outcome: values.outcome, comment: trimmed(values.comment) };
    case 'SUBMIT_CORRECTION':
      return { text: trimmed(values.text), evidence: [] };
    case 'APPROVE': {
      const number = trimmed(values.decisionNumber);
      return {
        comment: trimmed(values.comment),
        ...(number || values.decisionDate ? { decisionReference: { body: values.decisionBody, number, date: values.decisionDate } } : {}),
      };
    }
    case 'EXTEND_DEADLINE':
      return { deadline: state.startsWith('evaluated') ? 'evaluation' : 'correction', newDate: values.newDate, reason: trimmed(values.reason) };
    default: {
      const payload: Record<string, unknown> = {};
      for (const field of EVENT_FIELDS[type] ?? []) {
        const value = field.kind === 'date' || field.kind === 'radio' ? values[field.name] : trimmed(values[field.name]);
        if (value !== undefined && value !== '') payload[field.name] = value;
      }
      return payload;
    }
  }
}

/** Where a schema issue's path lands on the form (amountFen is typed as the amount in yuan). */
export function formFieldOf(type: string, path: (string | number)[]): (string | number)[] {
  if (type === 'DISBURSE' && path[0] === 'amountFen') return ['amount'];
  if (type === 'RECORD_INSPECTION' && path[0] === 'findings') return ['findings'];
  if (type === 'RECORD_INSPECTION' && path[0] === 'inspectors') return ['inspectors'];
  if (type === 'APPROVE' && path[0] === 'decisionReference') {
    const part = { body: 'decisionBody', number: 'decisionNumber', date: 'decisionDate' }[String(path[1])];
    return [part ?? 'decisionNumber'];
  }
  return path.slice(0, 1);
}

const ZOD_ZH: [RegExp, string][] = [
  [/must not be empty|Too small: expected string/i, '请填写此项'],
  [/must be a date/i, '请填写日期（年-月-日）'],
  [/expected number, received undefined|Invalid input: expected number/i, '请填写金额'],
  [/Invalid input: expected string, received undefined/i, '请填写此项'],
  [/Invalid option|Invalid discriminator/i, '请选择一项'],
  [/Too small: expected array/i, '请至少填写一项'],
  [/a correction needs a text/i, '请填写整改情况'],
];

/** A schema message in the page's language (the server's own words when no translation is known). */
export function zodMessageZh(message: string): string {
  for (const [pattern, zh] of ZOD_ZH) if (pattern.test(message)) return zh;
  return message;
}
