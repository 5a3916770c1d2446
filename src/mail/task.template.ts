import { findItem } from '../../config/plan.ts';
import { escapeHtml } from '../domain/escape-html.ts';
import { quoteApplicantText } from '../domain/applicant-text.ts';
import { formatYuan } from '../domain/money.ts';
import { projectPageLink } from '../domain/page-links.ts';

const TASK_NAMES: Record<string, { zh: string; en: string }> = {
  review: { zh: '项目审核', en: 'review of a proposal' },
  disburse: { zh: '资金拨付', en: 'disbursement' },
  'conclude-inspection': { zh: '检查结论', en: 'conclusion of an inspection' },
  'verify-correction': { zh: '整改核查', en: 'verification of a correction' },
  evaluate: { zh: '绩效评价', en: 'performance evaluation' },
  're-evaluate': { zh: '再评价', en: 're-evaluation' },
  'review-evaluation': { zh: '评价报告审核', en: 'review of an evaluation report' },
  'confirm-stop': { zh: '确认停止项目', en: 'confirmation of a stop' },
  'decide-suspension': { zh: '暂缓项目处理', en: 'decision on a suspended project' },
  'decide-amendment': { zh: '绩效目标调整审核', en: 'decision on a target amendment' },
};

export const taskName = (kind: string) => TASK_NAMES[kind] ?? { zh: kind, en: kind };



export interface TaskMailInput {
  locale: 'zh-CN' | 'en';
  recipientName: string;
  kind: string;
  projectCode: string;
  projectTitle: string;
  item: number;
  applicant: string;
  amountFen: number;
  dueDate: string;
  link: string;
  canDecideByLink: boolean;
}

/** The email that asks a person to act: project code, name, item, applicant, amount in 元, decision, due date, link. */
export function renderTaskMail(input: TaskMailInput): { subject: string; text: string; html: string } {
  const name = taskName(input.kind);
  const item = findItem(input.item);
  const zh = input.locale === 'zh-CN';
  const subject = zh
    ? `【待办】${input.projectCode} ${name.zh}（请于 ${input.dueDate} 前处理）`
    : `[Action needed] ${input.projectCode}: ${name.en} (due ${input.dueDate})`;
  const rows: [string, string][] = zh
    ? [
        ['项目编号', input.projectCode],
        ['项目名称', quoteApplicantText(input.projectTitle, 'zh-CN')],
        ['支持事项', `${input.item}. ${item?.nameZh ?? ''}`],
        ['项目单位', input.applicant],
        ['申请金额', `${formatYuan(input.amountFen)} 元`],
        ['待办事项', name.zh],
        ['办理期限', `${input.dueDate}（北京时间）`],
      ]
    : [
        ['Project', input.projectCode],
        ['Title', quoteApplicantText(input.projectTitle, 'en')],
        ['Item', `${input.item}. ${item?.nameEn ?? ''}`],
        ['Applicant', input.applicant],
        ['Amount', `${formatYuan(input.amountFen)} 元`],
        ['Decision asked', name.en],
        ['Due', `${input.dueDate} (Asia/Shanghai)`],
      ];
  const action = zh
    ? input.canDecideByLink
      ? '点击下面的链接查看项目并作出决定（链接仅限您本人使用一次）：'
      : '点击下面的链接查看项目，并在系统中办理：'
    : input.canDecideByLink
      ? 'Open the link below to see the project and decide (the link is for you alone, and works once):'
      : 'Open the link below to see the project, then act in the system:';
  const greeting = zh ? `${input.recipientName}，您好：` : `Dear ${input.recipientName},`;
  const text = [greeting, ...rows.map(([k, v]) => `${k}：${v}`), action, input.link].join('\n');
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body><p>${escapeHtml(greeting)}</p><table>${rows
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table><p>${escapeHtml(action)}</p><p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p></body></html>`;
  return { subject, text, html };
}

const NOTICES: Record<string, { zh: string; en: string }> = {
  'project.approved': { zh: '项目已批准', en: 'the project was approved' },
  'project.rejected': { zh: '项目未获批准', en: 'the project was rejected' },
  'project.returned': { zh: '项目已退回修改', en: 'the project was returned for revision' },
  'project.disbursed': { zh: '资金已拨付', en: 'money was disbursed' },
  'project.suspended': { zh: '项目已暂缓', en: 'the project was suspended' },
  'project.resumed': { zh: '项目已恢复实施', en: 'the project was resumed' },
  'project.stop-requested': { zh: '项目拟停止，请财政局确认', en: 'a stop awaits the Finance Bureau' },
  'project.stopped': { zh: '项目已停止', en: 'the project was stopped' },
  'project.withdrawn': { zh: '项目已撤回', en: 'the project was withdrawn' },
  'project.completed': { zh: '项目已完成，待绩效评价', en: 'the project was completed and awaits evaluation' },
  'project.closed': { zh: '项目已结项', en: 'the project was closed' },
  'inspection.on-track': { zh: '检查结论：正常', en: 'inspection concluded: on track' },
  'inspection.deviation': { zh: '检查发现偏差，请按期整改', en: 'the inspection found a deviation to correct' },
  'inspection.serious': { zh: '检查发现严重问题，项目已暂缓', en: 'the inspection found a serious problem; the project is suspended' },
  'correction.accepted': { zh: '整改已通过', en: 'the correction was accepted' },
  'correction.rejected': { zh: '整改未通过，请重新整改', en: 'the correction was rejected' },
  'deadline.extended': { zh: '期限已延长', en: 'a deadline was extended' },
  'evaluation.submitted': { zh: '绩效评价报告已提交', en: 'an evaluation report was submitted' },
  'evaluation.accepted': { zh: '绩效评价已通过审核', en: 'the evaluation was accepted' },
  'evaluation.reevaluation-requested': { zh: '财政局要求再评价', en: 'the Finance Bureau ordered a re-evaluation' },
  'review.requested': { zh: '有项目等待审核', en: 'a proposal awaits review' },
  'targets.amendment-proposed': { zh: '绩效目标调整待审核', en: 'a target amendment awaits a decision' },
  'targets.amended': { zh: '绩效目标已调整', en: 'the targets were amended' },
  'targets.amendment-rejected': { zh: '绩效目标调整未获同意', en: 'the target amendment was rejected' },
};

/** A notice that keeps the SME Center, the Finance Bureau and the applicant in step (联动沟通机制). */
export function renderNoticeMail(input: { locale: 'zh-CN' | 'en'; recipientName: string; template: string; projectCode: string; projectTitle: string; reason: string | null; link: string }) {
  const notice = NOTICES[input.template] ?? { zh: input.template, en: input.template };
  const zh = input.locale === 'zh-CN';
  const subject = zh ? `【通知】${input.projectCode} ${notice.zh}` : `[Notice] ${input.projectCode}: ${notice.en}`;
  const lines = [
    zh ? `${input.recipientName}，您好：` : `Dear ${input.recipientName},`,
    zh ? `项目 ${input.projectCode}（${quoteApplicantText(input.projectTitle, 'zh-CN')}）：${notice.zh}。` : `Project ${input.projectCode} (${quoteApplicantText(input.projectTitle, 'en')}): ${notice.en}.`,
    ...(input.reason ? [zh ? `说明：${input.reason}` : `Note: ${input.reason}`] : []),
    projectPageLink(input.link, input.projectCode),
  ];
  const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><body>${lines
    .map((line, i) => (i === lines.length - 1 ? `<p><a href="${escapeHtml(line)}">${escapeHtml(line)}</a></p>` : `<p>${escapeHtml(line)}</p>`))
    .join('')}</body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
