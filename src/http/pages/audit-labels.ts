import type { ProjectEventType } from '../../../machines/project.schemas.ts';
import type { Channel } from '../../engine/engine-deps.ts';
import { businessDateTimeOf } from '../../reports/labels.ts';

/**
 * How the audit trail reads to a person (WORDING.md: no raw codes). Typed on the machine's event
 * union, so a new event without a label is a type error; the two audit-only events are added.
 */
export const EVENT_LABELS: Record<ProjectEventType | 'PROPOSE' | 'DELEGATE_TASK' | 'RECORD_RECOVERY' | 'ATTACH_FILE', { zh: string; en: string }> = {
  PROPOSE: { zh: '创建申报', en: 'Proposal created' },
  UPDATE_PROPOSAL: { zh: '修改申报', en: 'Proposal updated' },
  SUBMIT: { zh: '提交申报', en: 'Submitted' },
  WITHDRAW: { zh: '撤回申报', en: 'Withdrawn' },
  UPDATE_TARGETS: { zh: '调整绩效目标', en: 'Targets adjusted' },
  AMEND_TARGETS: { zh: '申请变更绩效目标', en: 'Target amendment proposed' },
  APPROVE_AMENDMENT: { zh: '同意变更', en: 'Amendment approved' },
  REJECT_AMENDMENT: { zh: '不同意变更', en: 'Amendment rejected' },
  APPROVE: { zh: '同意', en: 'Approved' },
  REJECT: { zh: '审核未通过', en: 'Rejected' },
  RETURN: { zh: '退回修改', en: 'Returned for revision' },
  DISBURSE: { zh: '拨付资金', en: 'Disbursed' },
  REPORT_PROGRESS: { zh: '报送进度', en: 'Progress reported' },
  RECORD_INSPECTION: { zh: '记录检查', en: 'Inspection recorded' },
  CONCLUDE_INSPECTION: { zh: '出具检查结论', en: 'Inspection concluded' },
  SUBMIT_CORRECTION: { zh: '提交整改', en: 'Correction submitted' },
  ACCEPT_CORRECTION: { zh: '整改通过', en: 'Correction accepted' },
  REJECT_CORRECTION: { zh: '整改未通过', en: 'Correction rejected' },
  EXTEND_DEADLINE: { zh: '延长期限', en: 'Deadline extended' },
  SUSPEND: { zh: '暂缓执行', en: 'Suspended' },
  RESUME: { zh: '恢复执行', en: 'Resumed' },
  STOP: { zh: '申请停止执行', en: 'Stop requested' },
  CONFIRM_STOP: { zh: '确认停止执行', en: 'Stop confirmed' },
  COMPLETE: { zh: '申请结项', en: 'Completion reported' },
  SUBMIT_EVALUATION: { zh: '提交绩效评价', en: 'Evaluation submitted' },
  ACCEPT_EVALUATION: { zh: '县财政局审查通过', en: 'Evaluation accepted' },
  REQUEST_REEVALUATION: { zh: '县财政局组织再评价', en: 'Re-evaluation requested' },
  CLOSE: { zh: '结项', en: 'Closed' },
  DELEGATE_TASK: { zh: '转交待办', en: 'Task handed over' },
  RECORD_RECOVERY: { zh: '追回资金', en: 'Money recovered' },
  ATTACH_FILE: { zh: '上传材料', en: 'File attached' },
};

export const CHANNEL_LABELS: Record<Channel, { zh: string; en: string }> = {
  api: { zh: '系统接口', en: 'API' },
  email: { zh: '邮件链接', en: 'Email link' },
  page: { zh: '网页', en: 'Web page' },
  worker: { zh: '系统自动', en: 'Automatic' },
  cli: { zh: '管理命令', en: 'Admin command' },
};

const pick = (labels: Record<string, { zh: string; en: string }>, code: string, zh: boolean) =>
  labels[code] ? (zh ? labels[code]!.zh : labels[code]!.en) : code;

export const eventLabel = (code: string, zh: boolean) => pick(EVENT_LABELS, code, zh);
export const channelLabel = (code: string, zh: boolean) => pick(CHANNEL_LABELS, code, zh);

/** An instant as a person reads it: Beijing time, named (WORDING.md). */
export function beijingTime(instant: Date | string, zh: boolean): string {
  const text = businessDateTimeOf(new Date(instant));
  return zh ? `${text}（北京时间）` : `${text} (Beijing time)`;
}
