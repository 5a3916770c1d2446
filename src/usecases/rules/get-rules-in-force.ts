import { ENTERPRISE_BENEFIT_ITEMS } from '../../../config/beneficiary-rules.ts';
import { EVALUATION_LEVELS } from '../../../config/evaluation-rules.ts';
import type { LifecycleRules } from '../../../config/lifecycle-rules.ts';
import { DEFAULT_MONITORING_RULES, type MonitoringRules } from '../../../config/monitoring-rules.ts';
import { CATEGORIES, FUND_SOURCE_DOCUMENT, ITEMS, PLAN_DOCUMENT_NUMBER, PLAN_TITLE_EN, PLAN_TITLE_ZH } from '../../../config/plan.ts';
import { DEFAULT_REMINDER_POLICIES, type ReminderPolicies } from '../../../config/reminder-policies.ts';
import type { Role } from '../../../config/roles.ts';
import { ROLE_LABELS } from '../users/role-labels.ts';
import { DEFAULT_TASK_RULES, type TaskRules } from '../../../config/task-rules.ts';
import { formatYuan } from '../../domain/money.ts';
import { en } from '../../i18n/en.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import type { RequiredMaterials } from '../../../config/required-materials.ts';
import { itemConditions, materialsInWords } from './item-conditions.ts';


const LATER_TRANCHE_ZH: Record<LifecycleRules['tranche']['laterTrancheRequires'], { zh: string; en: string }> = {
  'inspection-on-track': { zh: '上一批拨付后须有一次检查结论为正常', en: 'an inspection concluded on track since the previous tranche' },
  'progress-report': { zh: '上一批拨付后须有一份进度报告', en: 'a progress report since the previous tranche' },
  either: { zh: '上一批拨付后须有一次检查结论为正常或一份进度报告', en: 'an on-track inspection or a progress report since the previous tranche' },
  none: { zh: '无前置条件', en: 'no condition' },
};

const officialQuotes = (text: string) => text.replace(/"([^"]*)"/g, '“$1”');
const roles = (list: readonly Role[]) => ({ zh: list.map((role) => ROLE_LABELS[role].zh).join('、'), en: list.map((role) => ROLE_LABELS[role].en).join(', ') });
const pad = (value: string) => value.padStart(2, '0');

/** A cron of the daily checks or monthly reports in words; a form other than these two is shown as written. */
export function scheduleInWords(cron: string): { zh: string; en: string } {
  const daily = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(cron);
  if (daily) return { zh: `每天 ${pad(daily[2]!)}:${pad(daily[1]!)}（北京时间）`, en: `every day at ${pad(daily[2]!)}:${pad(daily[1]!)} (Beijing time)` };
  const monthly = /^(\d{1,2}) (\d{1,2}) (\d{1,2}) \* \*$/.exec(cron);
  if (monthly) return { zh: `每月${monthly[3]}日 ${pad(monthly[2]!)}:${pad(monthly[1]!)}（北京时间）`, en: `on day ${monthly[3]} of every month at ${pad(monthly[2]!)}:${pad(monthly[1]!)} (Beijing time)` };
  return { zh: `按设定的时间表（北京时间，${cron}）`, en: `on the schedule ${cron} (Beijing time)` };
}

export interface RulesInForceDeps {
  /** The lifecycle rules the engine was started with (LEADERSHIP_THRESHOLD_FEN and config/lifecycle-rules.ts). */
  rules: LifecycleRules;
  /** What the workers run with; the defaults of config/ unless a composition root passes others. */
  reminders?: ReminderPolicies;
  monitoring?: MonitoringRules;
  taskRules?: TaskRules;
  /** The required materials the engine checks (config/required-materials.ts defaults when absent). */
  requiredMaterials?: RequiredMaterials;
}

/**
 * The rules the system enforces, for staff to read (人员与单位 → 规则): the plan with its 4
 * categories and 13 items, the approval chain, cadences, reminder policies, tranche rules, scoring
 * weights and 双监控 thresholds, each with a Chinese and an English wording. Nothing here is editable.
 */
export function getRulesInForce(deps: RulesInForceDeps) {
  const { rules } = deps;
  const reminders = deps.reminders ?? DEFAULT_REMINDER_POLICIES;
  const monitoring = deps.monitoring ?? DEFAULT_MONITORING_RULES;
  const taskRules = deps.taskRules ?? DEFAULT_TASK_RULES;
  const threshold = formatYuan(rules.leadershipThresholdFen);
  const leadershipItems = rules.leadershipItems.map((item) => `第${item}项`).join('、');
  return {
    plan: {
      titleZh: PLAN_TITLE_ZH,
      titleEn: PLAN_TITLE_EN,
      documentNumber: PLAN_DOCUMENT_NUMBER,
      fundSourceDocument: FUND_SOURCE_DOCUMENT,
      categories: CATEGORIES.map((category) => ({
        id: category.id,
        nameZh: `${category.numeral}、${category.nameZh}`,
        nameEn: category.nameEn,
        items: ITEMS.filter((item) => item.category === category.id).map((item) => ({
          id: item.id,
          nameZh: officialQuotes(item.nameZh),
          nameEn: item.nameEn,
          ceilingFen: rules.itemCeilingsFen[String(item.id)] ?? null,
          alwaysNeedsLeadership: rules.leadershipItems.includes(item.id),
          needsBeneficiaryCreditCode: ENTERPRISE_BENEFIT_ITEMS.includes(item.id),
          conditions: itemConditions(item.id, rules.items),
        })),
      })),
    },
    approval: {
      leadershipThresholdFen: rules.leadershipThresholdFen,
      leadershipItems: rules.leadershipItems,
      zh: `县促进中心审核，再由县财政局审核；${leadershipItems}或申请金额达到 ${threshold} 元的，还须县创建领导组审定。`,
      en: `The SME Center reviews, then the Finance Bureau; item${rules.leadershipItems.length > 1 ? 's' : ''} ${rules.leadershipItems.join(', ')} and proposals of ${threshold} yuan or more also go to the leadership group.`,
    },
    cadences: [
      { key: 'inspection', zh: '定期检查周期', en: 'regular inspections every', days: rules.inspectionCadenceDays },
      { key: 'progress-report', zh: '进度报告周期', en: 'progress reports every', days: rules.progressReportCadenceDays },
      { key: 'evaluation', zh: '项目完成后提交绩效评价材料期限', en: 'evaluation material due after completion', days: rules.evaluationDueDays },
      { key: 'finance-review', zh: '县财政局审查绩效评价期限', en: 'Finance Bureau review of an evaluation', days: rules.financeReviewDueDays },
      { key: 'link', zh: '邮件办理链接有效期', en: 'email links are valid for', days: taskRules.linkValidDays },
    ],
    taskDueDays: Object.entries(taskRules.dueDays).map(([kind, days]) => ({
      kind,
      zh: (zhCN.task as Record<string, string>)[kind] ?? '其他待办',
      en: (en.task as Record<string, string>)[kind] ?? 'other task',
      days,
    })),
    reminders: {
      sendHour: reminders.sendHour,
      zh: `提醒邮件于每天 ${pad(String(reminders.sendHour))}:00（北京时间）发送。`,
      en: `Reminders are sent at ${pad(String(reminders.sendHour))}:00 Beijing time.`,
      policies: Object.entries(reminders.policies).map(([deadline, policy]) => ({
        deadline,
        zh: (zhCN.deadline as Record<string, string>)[deadline] ?? '其他期限',
        en: (en.deadline as Record<string, string>)[deadline] ?? 'other deadline',
        audience: roles(policy.audience),
        escalateTo: roles(policy.escalateTo),
        beforeDays: policy.beforeDays,
        onDay: policy.onDay,
        overdueEveryDays: policy.overdueEveryDays,
        overdueCount: policy.overdueCount,
        escalateFromOverdue: policy.escalateFromOverdue,
        summaryZh: `到期前 ${policy.beforeDays.join('、')} 天${policy.onDay ? '及到期当天' : ''}提醒${roles(policy.audience).zh}；逾期后每 ${policy.overdueEveryDays} 天再提醒一次，最多 ${policy.overdueCount} 次，自第 ${policy.escalateFromOverdue} 次逾期提醒起同时告知${roles(policy.escalateTo).zh}。`,
      })),
    },
    tranche: {
      firstTrancheMaxPercent: rules.tranche.firstTrancheMaxPercent ?? null,
      laterTrancheRequires: rules.tranche.laterTrancheRequires,
      holdWhileSuspended: rules.tranche.holdWhileSuspended,
      zh: [
        rules.tranche.firstTrancheMaxPercent === undefined ? '首批拨付不设比例上限' : `首批拨付不超过批准金额的 ${rules.tranche.firstTrancheMaxPercent}%`,
        `后续批次：${LATER_TRANCHE_ZH[rules.tranche.laterTrancheRequires].zh}`,
        '项目暂缓执行期间不予拨付',
      ],
      en: [
        rules.tranche.firstTrancheMaxPercent === undefined ? 'no limit on the first tranche' : `first tranche at most ${rules.tranche.firstTrancheMaxPercent}% of the approved amount`,
        `later tranches: ${LATER_TRANCHE_ZH[rules.tranche.laterTrancheRequires].en}`,
        'nothing is paid while a project is suspended',
      ],
    },
    materials: materialsInWords(deps.requiredMaterials),
    overlap: {
      allowTopUp: rules.overlap.allowTopUp,
      zh: rules.overlap.allowTopUp
        ? '就高不重复：同一事项已获其他支持的，只补足与较高标准的差额。'
        : '就高不重复：同一事项已获其他支持的，由审核人决定是否支持。',
      en: rules.overlap.allowTopUp ? 'Highest only: support already had elsewhere is topped up to the higher amount only.' : 'Highest only: the reviewer decides when other support exists.',
    },
    scoring: {
      levelWeights: EVALUATION_LEVELS.map((level) => ({ level, points: rules.evaluation.levelWeights[level] })),
      emptyLevel: rules.evaluation.emptyLevel,
      zh: rules.evaluation.emptyLevel === 'redistribute' ? '某一级指标未设置时，其分值按比例分配给其他一级指标。' : '某一级指标未设置时，该项计 0 分。',
      en: rules.evaluation.emptyLevel === 'redistribute' ? 'A level with no indicator has its weight shared among the others.' : 'A level with no indicator scores 0.',
      grades: [
        { grade: '优', zh: '90 分及以上' },
        { grade: '良', zh: '80 分及以上、不足 90 分' },
        { grade: '中', zh: '60 分及以上、不足 80 分' },
        { grade: '差', zh: '不足 60 分' },
      ],
    },
    monitoring: {
      yellowBehindPoints: monitoring.yellowBehindPoints,
      redBehindPoints: monitoring.redBehindPoints,
      zh: `双监控：资金拨付或目标完成进度落后于时间进度 ${monitoring.yellowBehindPoints} 个百分点及以上亮黄灯，${monitoring.redBehindPoints} 个百分点及以上亮红灯。`,
      en: `Two-way monitoring: ${monitoring.yellowBehindPoints} points behind the elapsed time is yellow, ${monitoring.redBehindPoints} points is red.`,
      dailyChecks: scheduleInWords(monitoring.dailyChecksCron),
      monthlyReports: scheduleInWords(monitoring.monthlyReportsCron),
      reconcileEveryMinutes: monitoring.reconcileEveryMinutes,
    },
  };
}

export type RulesInForce = ReturnType<typeof getRulesInForce>;
