import { ITEMS } from '../../config/plan.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { businessDateTimeOf, categoryLabel, itemLabel, stateZh } from './labels.ts';
import type { Cell, ReportDocument, ReportTable } from './report-document.ts';
import { sumFenOf } from './report-format.ts';
import type { SupervisedProjectRow, SupervisionEventRow, SupervisionReportSource } from './supervision-report.loader.ts';

export type MatterType =
  | 'inspection-regular'
  | 'inspection-unannounced'
  | 'on-track'
  | 'deviation'
  | 'serious'
  | 'correction-submitted'
  | 'correction-accepted'
  | 'correction-rejected'
  | 'suspension'
  | 'resumption'
  | 'stop-requested'
  | 'stop';

export const MATTER_ZH: Record<MatterType, string> = {
  'inspection-regular': zhCN.deadline['inspection.regular'],
  'inspection-unannounced': zhCN.deadline['inspection.unannounced'],
  'on-track': '检查结论：正常',
  deviation: '检查结论：偏差，限期整改',
  serious: '检查结论：严重偏差，暂缓',
  'correction-submitted': '提交整改',
  'correction-accepted': '整改通过',
  'correction-rejected': '整改退回',
  suspension: '暂缓实施',
  resumption: '恢复实施',
  'stop-requested': '拟停止',
  stop: '停止项目',
};

export interface SupervisionMatter {
  date: string;
  projectId: string;
  projectCode: string;
  projectTitle: string;
  item: number;
  type: MatterType;
  typeZh: string;
  detail: string;
  actorRole: string;
  actorName: string | null;
}

export interface SupervisionCounts {
  projects: number;
  inspections: number;
  regularInspections: number;
  unannouncedInspections: number;
  onTrack: number;
  deviations: number;
  serious: number;
  correctionsSubmitted: number;
  correctionsAccepted: number;
  correctionsRejected: number;
  /** SUSPEND events plus inspections concluded serious (both suspend the project). */
  suspensions: number;
  resumptions: number;
  stopRequests: number;
  /** CONFIRM_STOP: the project is terminated. */
  stops: number;
}

export interface SupervisionItemRow extends SupervisionCounts {
  item: number;
  itemName: string;
  category: string;
  /** Sums over the projects concerned (each once): approved = committed. */
  approvedFen: number;
  disbursedFen: number;
  releasedFen: number;
  recoveredFen: number;
}

export interface SupervisionReport {
  kind: 'supervision';
  generatedAt: string;
  period: { from: string; to: string };
  summary: SupervisionCounts & { approvedFen: number; disbursedFen: number; releasedFen: number; recoveredFen: number };
  byItem: SupervisionItemRow[];
  suspendedOrStopped: {
    projectId: string;
    code: string;
    title: string;
    item: number;
    state: string;
    stateZh: string;
    suspensions: number;
    stopped: boolean;
    reason: string | null;
    approvedFen: number;
    disbursedFen: number;
    releasedFen: number;
    recoveredFen: number;
  }[];
  matters: SupervisionMatter[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const payloadOf = (event: SupervisionEventRow): Record<string, unknown> =>
  typeof event.payload === 'object' && event.payload !== null ? (event.payload as Record<string, unknown>) : {};

export function matterTypeOf(event: Pick<SupervisionEventRow, 'event_type' | 'payload'>): MatterType | null {
  const payload = typeof event.payload === 'object' && event.payload !== null ? (event.payload as Record<string, unknown>) : {};
  switch (event.event_type) {
    case 'RECORD_INSPECTION':
      return payload.kind === 'unannounced' ? 'inspection-unannounced' : 'inspection-regular';
    case 'CONCLUDE_INSPECTION':
      return payload.outcome === 'deviation' ? 'deviation' : payload.outcome === 'serious' ? 'serious' : 'on-track';
    case 'SUBMIT_CORRECTION':
      return 'correction-submitted';
    case 'ACCEPT_CORRECTION':
      return 'correction-accepted';
    case 'REJECT_CORRECTION':
      return 'correction-rejected';
    case 'SUSPEND':
      return 'suspension';
    case 'RESUME':
      return 'resumption';
    case 'STOP':
      return 'stop-requested';
    case 'CONFIRM_STOP':
      return 'stop';
    default:
      return null;
  }
}

function detailOf(type: MatterType, event: SupervisionEventRow): string {
  const payload = payloadOf(event);
  switch (type) {
    case 'inspection-regular':
    case 'inspection-unannounced': {
      const inspectors = Array.isArray(payload.inspectors) ? payload.inspectors.filter((name) => typeof name === 'string') : [];
      const findings = Array.isArray(payload.findings) ? payload.findings : [];
      const notes = findings.map((finding) => text((finding as Record<string, unknown>)?.note)).filter(Boolean);
      return [`检查人员：${inspectors.join('、') || '—'}`, `发现问题 ${findings.length} 项${notes.length ? `：${notes.join('；')}` : ''}`].join('；');
    }
    case 'deviation':
      return `整改要求：${text(payload.correction)}；整改期限：${text(payload.dueDate)}`;
    case 'correction-rejected':
      return `退回原因：${text(payload.reason)}；新的整改期限：${text(payload.dueDate)}`;
    case 'correction-submitted':
      return text(payload.text) || `整改材料 ${Array.isArray(payload.evidence) ? payload.evidence.length : 0} 份`;
    default:
      return text(payload.reason) || text(payload.comment) || event.reason || '';
  }
}

function emptyCounts(): SupervisionCounts {
  return {
    projects: 0,
    inspections: 0,
    regularInspections: 0,
    unannouncedInspections: 0,
    onTrack: 0,
    deviations: 0,
    serious: 0,
    correctionsSubmitted: 0,
    correctionsAccepted: 0,
    correctionsRejected: 0,
    suspensions: 0,
    resumptions: 0,
    stopRequests: 0,
    stops: 0,
  };
}

function count(counts: SupervisionCounts, type: MatterType): void {
  switch (type) {
    case 'inspection-regular':
      counts.inspections++;
      counts.regularInspections++;
      break;
    case 'inspection-unannounced':
      counts.inspections++;
      counts.unannouncedInspections++;
      break;
    case 'on-track':
      counts.onTrack++;
      break;
    case 'deviation':
      counts.deviations++;
      break;
    case 'serious':
      counts.serious++;
      counts.suspensions++;
      break;
    case 'correction-submitted':
      counts.correctionsSubmitted++;
      break;
    case 'correction-accepted':
      counts.correctionsAccepted++;
      break;
    case 'correction-rejected':
      counts.correctionsRejected++;
      break;
    case 'suspension':
      counts.suspensions++;
      break;
    case 'resumption':
      counts.resumptions++;
      break;
    case 'stop-requested':
      counts.stopRequests++;
      break;
    case 'stop':
      counts.stops++;
      break;
  }
}

const amountsOf = (projects: SupervisedProjectRow[]) => ({
  approvedFen: sumFenOf(projects.map((p) => p.committed_fen)),
  disbursedFen: sumFenOf(projects.map((p) => p.disbursed_fen)),
  releasedFen: sumFenOf(projects.map((p) => p.released_fen)),
  recoveredFen: sumFenOf(projects.map((p) => p.recovered_fen)),
});

/** The supervision report for [from, to]: counts by item, the projects suspended or stopped, and every matter. */
export function buildSupervisionReport(source: SupervisionReportSource, generatedAt: Date): SupervisionReport {
  const projects = new Map(source.projects.map((project) => [project.id, project]));
  const matters: SupervisionMatter[] = [];
  for (const event of source.events) {
    const type = matterTypeOf(event);
    const project = projects.get(event.project_id);
    if (!type || !project) continue;
    matters.push({
      date: event.business_date,
      projectId: project.id,
      projectCode: project.code,
      projectTitle: project.title,
      item: project.item,
      type,
      typeZh: MATTER_ZH[type],
      detail: detailOf(type, event),
      actorRole: event.actor_role,
      actorName: event.actor_name,
    });
  }

  const summaryCounts = emptyCounts();
  for (const matter of matters) count(summaryCounts, matter.type);
  const involved = [...new Set(matters.map((matter) => matter.projectId))].map((id) => projects.get(id)!);
  summaryCounts.projects = involved.length;

  const byItem: SupervisionItemRow[] = ITEMS.map((item) => {
    const counts = emptyCounts();
    const ofItem = matters.filter((matter) => matter.item === item.id);
    for (const matter of ofItem) count(counts, matter.type);
    const itemProjects = involved.filter((project) => project.item === item.id);
    counts.projects = itemProjects.length;
    return { item: item.id, itemName: item.nameZh, category: categoryLabel(item.category), ...counts, ...amountsOf(itemProjects) };
  });

  const suspendedOrStopped = involved
    .map((project) => {
      const own = matters.filter((matter) => matter.projectId === project.id);
      const suspensions = own.filter((matter) => matter.type === 'suspension' || matter.type === 'serious').length;
      const stopped = own.some((matter) => matter.type === 'stop');
      const reasons = own.filter((matter) => ['suspension', 'serious', 'stop-requested'].includes(matter.type)).map((matter) => matter.detail);
      return {
        projectId: project.id,
        code: project.code,
        title: project.title,
        item: project.item,
        state: project.state,
        stateZh: stateZh(project.state),
        suspensions,
        stopped,
        reason: reasons.at(-1) || null,
        approvedFen: project.committed_fen,
        disbursedFen: project.disbursed_fen,
        releasedFen: project.released_fen,
        recoveredFen: project.recovered_fen,
      };
    })
    .filter((row) => row.suspensions > 0 || row.stopped);

  return {
    kind: 'supervision',
    generatedAt: generatedAt.toISOString(),
    period: { from: source.from, to: source.to },
    summary: { ...summaryCounts, ...amountsOf(involved) },
    byItem,
    suspendedOrStopped,
    matters,
  };
}

const COUNT_COLUMNS: [keyof SupervisionCounts, string][] = [
  ['projects', '涉及项目数'],
  ['regularInspections', zhCN.deadline['inspection.regular']],
  ['unannouncedInspections', zhCN.deadline['inspection.unannounced']],
  ['deviations', '偏差'],
  ['correctionsAccepted', '整改通过'],
  ['correctionsRejected', '整改退回'],
  ['suspensions', '暂缓'],
  ['stops', '停止'],
];
const AMOUNT_COLUMNS: [keyof SupervisionItemRow & `${string}Fen`, string][] = [
  ['approvedFen', '批准金额（元）'],
  ['disbursedFen', '已拨付（元）'],
  ['releasedFen', '额度收回（元）'],
  ['recoveredFen', '已追回（元）'],
];

export function supervisionReportDocument(report: SupervisionReport): ReportDocument {
  const { summary, period } = report;
  const byItem: ReportTable = {
    name: '分事项汇总',
    caption: `分支持事项汇总（${period.from} 至 ${period.to}）`,
    columns: [
      { label: '支持类别', kind: 'text', width: 16 },
      { label: '支持事项', kind: 'text', width: 28 },
      ...COUNT_COLUMNS.map(([, label]) => ({ label, kind: 'integer' as const, width: 10 })),
      ...AMOUNT_COLUMNS.map(([, label]) => ({ label, kind: 'fen' as const, width: 16 })),
    ],
    rows: report.byItem.map((row) => [
      row.category,
      itemLabel(row.item),
      ...COUNT_COLUMNS.map(([key]) => row[key]),
      ...AMOUNT_COLUMNS.map(([key]) => row[key]),
    ]),
    totals: ['合计', null, ...COUNT_COLUMNS.map(([key]) => summary[key]), ...AMOUNT_COLUMNS.map(([key]) => summary[key])],
    notes: [
      '暂缓 = 暂缓实施次数（含检查结论为严重偏差而暂缓的）；停止 = 经财政局确认停止的项目。',
      '金额为涉及项目截至报告生成时的累计数（每个项目计一次），来自资金台账。',
    ],
  };
  const stopped: ReportTable = {
    name: '暂缓和停止项目',
    caption: '暂缓和停止的项目',
    columns: [
      { label: '项目编号', kind: 'text', width: 16 },
      { label: '项目名称', kind: 'text', width: 30 },
      { label: '支持事项', kind: 'text', width: 24 },
      { label: '当前状态', kind: 'text', width: 12 },
      { label: '暂缓次数', kind: 'integer', width: 8 },
      { label: '是否停止', kind: 'text', width: 8 },
      { label: '原因', kind: 'text', width: 36 },
      ...AMOUNT_COLUMNS.map(([, label]) => ({ label, kind: 'fen' as const, width: 16 })),
    ],
    rows: report.suspendedOrStopped.map((row) => [
      row.code,
      row.title,
      itemLabel(row.item),
      row.stateZh,
      row.suspensions,
      row.stopped ? '是' : '否',
      row.reason,
      row.approvedFen,
      row.disbursedFen,
      row.releasedFen,
      row.recoveredFen,
    ]),
  };
  const matters: ReportTable = {
    name: '事项明细',
    caption: '监督检查事项明细',
    columns: [
      { label: '日期', kind: 'text', width: 12 },
      { label: '项目编号', kind: 'text', width: 16 },
      { label: '项目名称', kind: 'text', width: 30 },
      { label: '支持事项', kind: 'text', width: 24 },
      { label: '事项', kind: 'text', width: 22 },
      { label: '内容', kind: 'text', width: 48 },
      { label: '经办人', kind: 'text', width: 12 },
    ],
    rows: report.matters.map((matter): Cell[] => [
      matter.date,
      matter.projectCode,
      matter.projectTitle,
      itemLabel(matter.item),
      matter.typeZh,
      matter.detail,
      matter.actorName,
    ]),
  };
  return {
    title: '奖励资金项目监督检查情况报告',
    subtitle: `${period.from} 至 ${period.to}`,
    meta: [
      ['报送', '省市主管部门，阳城县创建中小企业高质量发展示范县领导组，阳城县财政局'],
      ['统计期间', `${period.from} 至 ${period.to}（北京时间）`],
      ['生成时间', businessDateTimeOf(new Date(report.generatedAt))],
    ],
    sections: [
      {
        heading: '一、总体情况',
        facts: [
          ['涉及项目', `${summary.projects} 个`],
          ['监督检查', `${summary.inspections} 次（定期检查 ${summary.regularInspections} 次，不定期检查 ${summary.unannouncedInspections} 次）`],
          ['检查结论', `正常 ${summary.onTrack} 次，偏差 ${summary.deviations} 次，严重偏差 ${summary.serious} 次`],
          ['整改', `提交 ${summary.correctionsSubmitted} 次，通过 ${summary.correctionsAccepted} 次，退回 ${summary.correctionsRejected} 次`],
          ['暂缓 / 恢复', `暂缓 ${summary.suspensions} 次，恢复 ${summary.resumptions} 次`],
          ['停止', `拟停止 ${summary.stopRequests} 次，确认停止 ${summary.stops} 个`],
        ],
      },
      { heading: '二、分支持事项情况', tables: [byItem] },
      { heading: '三、暂缓和停止的项目', tables: [stopped] },
      { heading: '四、监督检查事项明细', tables: [matters] },
    ],
    csvTable: byItem,
    fileName: `supervision-${period.from}-${period.to}`,
  };
}
