import type { EvaluationLevel } from '../../config/evaluation-rules.ts';
import type { EvaluationRecord, Grade, ProjectContext } from '../../machines/project.types.ts';
import { QUALITATIVE_BANDS, type QualitativeBand } from '../domain/evaluation-scoring.ts';
import type { EvaluationReportSource } from './evaluation-report.loader.ts';
import {
  businessDateOf,
  businessDateTimeOf,
  categoryLabel,
  COMPARATOR_ZH,
  itemLabel,
  itemOf,
  stateZh,
} from './labels.ts';
import { paragraphsOf, type Cell, type ReportDocument, type ReportTable } from './report-document.ts';
import { formatCell } from './report-format.ts';

/** The six sections of the standard evaluation report, in order, as the SUBMIT_EVALUATION report carries them. */
export const EVALUATION_REPORT_SECTIONS = ['基本情况', '评价工作开展情况', '综合评价结论', '绩效分析', '存在问题', '建议'] as const;
export type EvaluationReportSectionKey = (typeof EVALUATION_REPORT_SECTIONS)[number];

/** The headings as printed: the third section carries the score table. */
export const EVALUATION_REPORT_HEADINGS: Record<EvaluationReportSectionKey, string> = {
  基本情况: '一、基本情况',
  评价工作开展情况: '二、评价工作开展情况',
  综合评价结论: '三、综合评价结论与评分表',
  绩效分析: '四、绩效分析',
  存在问题: '五、存在问题',
  建议: '六、建议',
};

export interface ScoreRow {
  level: string;
  subLevel: string;
  indicatorId: string | null;
  name: string;
  /** The target as written: "≥ 10 场", "定性". */
  target: string;
  /** What was achieved: the evaluator's actual value or band, else the last progress report's value. */
  actual: string | null;
  weight: number;
  score: number;
  note: string | null;
}

export type EvaluationReviewStatus = 'pending' | 'accepted' | 're-evaluation-requested';

export interface EvaluationReport {
  kind: 'evaluation';
  generatedAt: string;
  project: {
    id: string;
    code: string;
    title: string;
    item: number;
    itemName: string;
    category: string;
    applicant: string;
    state: string;
    stateZh: string;
    periodStart: string;
    periodEnd: string;
    requestedFen: number;
    approvedFen: number;
    disbursedFen: number;
    releasedFen: number;
    recoveredFen: number;
    completedOn: string | null;
    inspectionCount: number;
    progressReportCount: number;
  };
  evaluation: {
    round: number;
    kind: EvaluationRecord['kind'];
    kindZh: string;
    evaluator: string | null;
    submittedAt: string;
    totalScore: number;
    grade: Grade;
    review: EvaluationReviewStatus;
    reviewZh: string;
    /** Every round, oldest first; the latest prevails. */
    rounds: { round: number; kindZh: string; submittedOn: string; totalScore: number; grade: Grade; reviewZh: string }[];
  };
  scoreTable: {
    rows: ScoreRow[];
    levels: { level: string; weight: number; score: number }[];
    totalWeight: number;
    total: number;
  };
  sections: Record<EvaluationReportSectionKey, string>;
}

/** A stored evaluation record, as the machine records it (src/domain/evaluation-scoring.ts). */
type ScoredRecord = EvaluationRecord;

interface EntryGiven {
  actual?: number;
  band?: string;
  percent?: number;
  note?: string;
  score?: number;
}

const KIND_ZH: Record<EvaluationRecord['kind'], string> = { 'self-evaluation': '绩效评价', 're-evaluation': '再评价' };
const REVIEW_ZH: Record<EvaluationReviewStatus, string> = {
  pending: '待县财政局审查',
  accepted: '县财政局审查通过',
  're-evaluation-requested': '县财政局组织再评价',
};

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Per indicator what the evaluator gave, from any payload shape: {scores}, {indicators} or {input: {indicators}}. */
function entriesOf(payload: unknown): Map<string, EntryGiven> {
  const body = asRecord(payload);
  const lists = [body.scores, body.indicators, asRecord(body.input).indicators].filter(Array.isArray) as unknown[][];
  const entries = new Map<string, EntryGiven>();
  for (const list of lists) {
    for (const raw of list) {
      const entry = asRecord(raw);
      if (typeof entry.indicatorId !== 'string') continue;
      const merged = { ...(entries.get(entry.indicatorId) ?? {}) };
      if (typeof entry.actual === 'number') merged.actual = entry.actual;
      if (typeof entry.band === 'string') merged.band = entry.band;
      if (typeof entry.percent === 'number') merged.percent = entry.percent;
      if (typeof entry.note === 'string' && entry.note.trim()) merged.note = entry.note;
      if (typeof entry.score === 'number') merged.score = entry.score;
      entries.set(entry.indicatorId, merged);
    }
  }
  return entries;
}

function sectionsOf(payload: unknown): Record<EvaluationReportSectionKey, string> {
  const report = asRecord(asRecord(payload).report);
  return Object.fromEntries(
    EVALUATION_REPORT_SECTIONS.map((key) => [key, typeof report[key] === 'string' ? (report[key] as string) : '']),
  ) as Record<EvaluationReportSectionKey, string>;
}

const hundredths = (points: number) => Math.round(points * 100);
const fromHundredths = (value: number) => value / 100;

function actualText(entry: EntryGiven | undefined, unit: string, reported: number | undefined): string | null {
  if (entry?.band && entry.band in QUALITATIVE_BANDS) {
    const band = QUALITATIVE_BANDS[entry.band as QualitativeBand];
    return `${band.zh}${entry.percent !== undefined ? `（${entry.percent}%）` : ''}`;
  }
  if (entry?.actual !== undefined) return `${entry.actual}${unit ? ` ${unit}` : ''}`;
  if (reported !== undefined) return `${reported}${unit ? ` ${unit}` : ''}（进度报告）`;
  return null;
}

/**
 * The evaluation report of the project's latest evaluation (a re-evaluation prevails over the
 * self-evaluation). Null when the project has not been evaluated yet.
 */
export function buildEvaluationReport(source: EvaluationReportSource, generatedAt: Date): EvaluationReport | null {
  const context = source.project.context;
  const records = (Array.isArray(context.evaluations) ? context.evaluations : []) as ScoredRecord[];
  const latest = records.at(-1);
  if (!latest) return null;

  const submissions = source.events.filter((event) => event.event_type === 'SUBMIT_EVALUATION');
  const submission = submissions.at(-1);
  const reviewAfter = (seq: number): EvaluationReviewStatus => {
    const next = source.events.find(
      (event) => event.seq > seq && ['ACCEPT_EVALUATION', 'REQUEST_REEVALUATION', 'SUBMIT_EVALUATION'].includes(event.event_type),
    );
    if (next?.event_type === 'ACCEPT_EVALUATION') return 'accepted';
    if (next?.event_type === 'REQUEST_REEVALUATION') return 're-evaluation-requested';
    return 'pending';
  };
  const review = submission ? reviewAfter(submission.seq) : 'pending';

  const targets = context.proposal?.targets ?? [];
  const entries = entriesOf(submission?.payload);
  const reported = context.lastProgress?.values ?? {};
  const stored = new Map((latest.indicators ?? []).map((row) => [row.indicatorId, row]));
  const scores = new Map(latest.scores.map((row) => [row.indicatorId, row.score]));

  const rows: ScoreRow[] = [];
  if (latest.budgetExecution) {
    rows.push({
      level: '预算执行',
      subLevel: '预算执行率',
      indicatorId: null,
      name: '预算执行率',
      target: '100%',
      actual: latest.budgetExecution.ratePercent === null ? null : `${latest.budgetExecution.ratePercent.toFixed(2)}%`,
      weight: latest.budgetExecution.weight,
      score: latest.budgetExecution.score,
      note: latest.budgetExecution.note ?? null,
    });
  }
  const LEVEL_ORDER = ['产出', '效益', '满意度'];
  const ordered = [...targets].sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level));
  for (const indicator of ordered) {
    const scored = stored.get(indicator.id);
    const entry: EntryGiven = { ...entries.get(indicator.id) };
    if (typeof scored?.actual === 'number') entry.actual = scored.actual;
    if (typeof scored?.band === 'string') entry.band = scored.band;
    if (typeof scored?.percent === 'number') entry.percent = scored.percent;
    if (scored?.note) entry.note = scored.note;
    rows.push({
      level: indicator.level,
      subLevel: indicator.subLevel,
      indicatorId: indicator.id,
      name: indicator.name,
      target:
        indicator.comparator === 'qualitative'
          ? '定性'
          : `${COMPARATOR_ZH[indicator.comparator]} ${indicator.targetValue ?? ''}${indicator.unit ? ` ${indicator.unit}` : ''}`,
      actual: actualText(entry, indicator.unit, reported[indicator.id]),
      weight: scored?.weight ?? indicator.weight,
      score: scored?.score ?? scores.get(indicator.id) ?? 0,
      note: entry.note ?? null,
    });
  }

  // Level subtotals: as stored when the record has them, else summed (in hundredths) from the rows.
  const levelNames = ['预算执行', '产出', '效益', '满意度'] as const;
  const levels = levelNames
    .map((level) => {
      const storedLevel = latest.levels?.[level];
      const members = rows.filter((row) => row.level === level);
      if (storedLevel) return { level, weight: storedLevel.weight, score: storedLevel.score };
      if (members.length === 0) return null;
      return {
        level,
        weight: fromHundredths(members.reduce((sum, row) => sum + hundredths(row.weight), 0)),
        score: fromHundredths(members.reduce((sum, row) => sum + hundredths(row.score), 0)),
      };
    })
    .filter((level): level is { level: (typeof levelNames)[number]; weight: number; score: number } => level !== null);

  const balance = source.balance;
  const item = itemOf(source.project.item);
  const rounds = records.map((record, index) => {
    const event = submissions[index];
    return {
      round: record.round,
      kindZh: KIND_ZH[record.kind] ?? record.kind,
      submittedOn: businessDateOf(new Date(record.at)),
      totalScore: record.totalScore,
      grade: record.grade,
      reviewZh: REVIEW_ZH[event ? reviewAfter(event.seq) : 'pending'],
    };
  });

  return {
    kind: 'evaluation',
    generatedAt: generatedAt.toISOString(),
    project: {
      id: source.project.id,
      code: source.project.code,
      title: source.project.title,
      item: item.id,
      itemName: item.nameZh,
      category: categoryLabel(item.category),
      applicant: source.project.org_name,
      state: source.project.state,
      stateZh: stateZh(source.project.state),
      periodStart: context.proposal?.periodStart ?? '',
      periodEnd: context.proposal?.periodEnd ?? '',
      requestedFen: source.project.requested_fen,
      approvedFen: balance?.committed_fen ?? context.committedFen ?? 0,
      disbursedFen: balance?.disbursed_fen ?? context.disbursedFen ?? 0,
      releasedFen: balance?.released_fen ?? 0,
      recoveredFen: balance?.recovered_fen ?? 0,
      completedOn: context.completedAt ? businessDateOf(new Date(context.completedAt)) : null,
      inspectionCount: context.inspectionCount ?? 0,
      progressReportCount: context.progressReportCount ?? 0,
    },
    evaluation: {
      round: latest.round,
      kind: latest.kind,
      kindZh: KIND_ZH[latest.kind] ?? latest.kind,
      evaluator: submission?.actor_name ?? null,
      submittedAt: latest.at,
      totalScore: latest.totalScore,
      grade: latest.grade,
      review,
      reviewZh: REVIEW_ZH[review],
      rounds,
    },
    scoreTable: {
      rows,
      levels,
      totalWeight: fromHundredths(levels.reduce((sum, level) => sum + hundredths(level.weight), 0)),
      total: latest.totalScore,
    },
    sections: sectionsOf(submission?.payload),
  };
}

const SCORE_COLUMNS: ReportTable['columns'] = [
  { label: '一级指标', kind: 'text', width: 10 },
  { label: '二级指标', kind: 'text', width: 12 },
  { label: '三级指标', kind: 'text', width: 28 },
  { label: '指标值', kind: 'text', width: 14 },
  { label: '实际完成值', kind: 'text', width: 18 },
  { label: '分值', kind: 'points', width: 9 },
  { label: '得分', kind: 'points', width: 9 },
  { label: '偏差原因及说明', kind: 'text', width: 36 },
];

export function evaluationReportDocument(report: EvaluationReport): ReportDocument {
  const { project, evaluation, scoreTable, sections } = report;
  const scoreRows: Cell[][] = scoreTable.rows.map((row) => [
    row.level,
    row.subLevel,
    row.name,
    row.target,
    row.actual,
    row.weight,
    row.score,
    row.note,
  ]);
  const scoreSheet: ReportTable = {
    name: '评分表',
    caption: `${project.title}绩效评价评分表`,
    columns: SCORE_COLUMNS,
    rows: scoreRows,
    totals: ['合计', null, null, null, null, scoreTable.totalWeight, scoreTable.total, `评价等级：${evaluation.grade}`],
    notes: ['等级：优 ≥ 90 分，良 80（含）至 90 分，中 60（含）至 80 分，差 < 60 分（财预〔2020〕10号）。'],
  };
  const levelSheet: ReportTable = {
    name: '一级指标得分',
    caption: '一级指标得分汇总',
    columns: [
      { label: '一级指标', kind: 'text', width: 14 },
      { label: '分值', kind: 'points', width: 10 },
      { label: '得分', kind: 'points', width: 10 },
    ],
    rows: scoreTable.levels.map((level) => [level.level, level.weight, level.score]),
    totals: ['合计', scoreTable.totalWeight, scoreTable.total],
  };
  const roundsSheet: ReportTable = {
    name: '评价轮次',
    caption: '评价轮次（以最近一次为准）',
    columns: [
      { label: '轮次', kind: 'integer', width: 6 },
      { label: '类型', kind: 'text', width: 8 },
      { label: '提交日期', kind: 'text', width: 12 },
      { label: '总分', kind: 'points', width: 8 },
      { label: '等级', kind: 'text', width: 6 },
      { label: '县财政局审查', kind: 'text', width: 18 },
    ],
    rows: evaluation.rounds.map((round) => [round.round, round.kindZh, round.submittedOn, round.totalScore, round.grade, round.reviewZh]),
  };
  const money = (fen: number) => `${formatCell(fen, 'fen')} 元`;
  return {
    title: `${project.title}绩效评价报告`,
    subtitle: `项目编号 ${project.code}`,
    meta: [
      ['项目单位', project.applicant],
      ['评价类型', `${evaluation.kindZh}（第 ${evaluation.round} 轮）`],
      ['综合得分 / 等级', `${evaluation.totalScore.toFixed(2)} 分 / ${evaluation.grade}`],
      ['生成时间', businessDateTimeOf(new Date(report.generatedAt))],
    ],
    sections: [
      {
        heading: EVALUATION_REPORT_HEADINGS.基本情况,
        facts: [
          ['项目编号', project.code],
          ['项目名称', project.title],
          ['支持类别', project.category],
          ['支持事项', itemLabel(project.item)],
          ['项目单位', project.applicant],
          ['实施期间', `${project.periodStart} 至 ${project.periodEnd}`],
          ['申请金额', money(project.requestedFen)],
          ['批准金额', money(project.approvedFen)],
          ['已拨付', money(project.disbursedFen)],
          ['收回未拨付额度', money(project.releasedFen)],
          ['已追回', money(project.recoveredFen)],
          ['项目状态', project.stateZh],
        ],
        paragraphs: paragraphsOf(sections.基本情况),
      },
      {
        heading: EVALUATION_REPORT_HEADINGS.评价工作开展情况,
        facts: [
          ['评价类型', evaluation.kindZh],
          ['评价轮次', `第 ${evaluation.round} 轮`],
          ['评价人员', evaluation.evaluator ?? '—'],
          ['提交时间', businessDateTimeOf(new Date(evaluation.submittedAt))],
          ['县财政局审查', evaluation.reviewZh],
          ['项目完成日期', project.completedOn ?? '—'],
          ['监督检查次数', String(project.inspectionCount)],
          ['进度报告次数', String(project.progressReportCount)],
        ],
        paragraphs: paragraphsOf(sections.评价工作开展情况),
        tables: evaluation.rounds.length > 1 ? [roundsSheet] : [],
      },
      {
        heading: EVALUATION_REPORT_HEADINGS.综合评价结论,
        facts: [
          ['综合得分', `${evaluation.totalScore.toFixed(2)} 分`],
          ['评价等级', evaluation.grade],
        ],
        paragraphs: paragraphsOf(sections.综合评价结论),
        tables: [scoreSheet, levelSheet],
      },
      { heading: EVALUATION_REPORT_HEADINGS.绩效分析, paragraphs: paragraphsOf(sections.绩效分析) },
      { heading: EVALUATION_REPORT_HEADINGS.存在问题, paragraphs: paragraphsOf(sections.存在问题) },
      { heading: EVALUATION_REPORT_HEADINGS.建议, paragraphs: paragraphsOf(sections.建议) },
    ],
    csvTable: scoreSheet,
    fileName: `evaluation-${project.code.replace(/[^A-Za-z0-9-]/g, '_')}`,
  };
}
