import { CATEGORIES, ITEMS } from '../../config/plan.ts';
import { formatYuan } from '../domain/money.ts';
import type { LedgerKind } from '../store/ledger.store.ts';
import type { BalanceSums, FundExecutionSource } from './fund-execution-report.loader.ts';
import { businessDateTimeOf, categoryLabel, itemLabel } from './labels.ts';
import type { Cell, Column, ReportDocument, ReportTable } from './report-document.ts';
import { netCommittedFen as netCommittedOf, netDisbursedFen as netDisbursedOf, outstandingFen as outstandingOf } from '../domain/ledger-model.ts';
import { percentOf, sumFenOf } from './report-format.ts';

/**
 * Figures per row, all integer fen:
 *   net committed (安排净额) = committed − released; net disbursed (支出净额) = disbursed − recovered;
 *   outstanding (待拨付) = committed − released − disbursed;
 *   execution rate (执行率) = net disbursed ÷ net committed (null when nothing is committed).
 * Per fund also: available (可用余额) = allocated − committed + released + recovered and
 *   usage rate (资金使用率) = net disbursed ÷ allocated.
 */
export interface ExecutionFigures {
  ceilingFen: number | null;
  committedFen: number;
  disbursedFen: number;
  releasedFen: number;
  recoveredFen: number;
  netCommittedFen: number;
  netDisbursedFen: number;
  outstandingFen: number;
  executionRatePercent: number | null;
}

export interface FundExecutionReport {
  kind: 'fund-execution';
  generatedAt: string;
  fundId: string | null;
  funds: (ExecutionFigures & {
    id: string;
    name: string;
    sourceDocument: string;
    receivedOn: string;
    allocatedFen: number;
    availableFen: number;
    usageRatePercent: number | null;
  })[];
  categories: (ExecutionFigures & { category: number; name: string; projects: number })[];
  items: (ExecutionFigures & { item: number; name: string; category: number; categoryName: string; projects: number })[];
  totals: ExecutionFigures & { allocatedFen: number; availableFen: number; usageRatePercent: number | null; projects: number };
  /** The ledger's own sums per kind, and whether fund, category and item balances all agree with it. */
  reconciliation: { ledger: Record<LedgerKind, number>; matches: boolean; differences: string[] };
}

function figuresOf(sums: Omit<BalanceSums, 'ceiling_fen'> & { ceiling_fen?: number | null }): ExecutionFigures {
  const movements = { committedFen: sums.committed_fen, disbursedFen: sums.disbursed_fen, releasedFen: sums.released_fen, recoveredFen: sums.recovered_fen };
  const netCommittedFen = netCommittedOf(movements);
  const netDisbursedFen = netDisbursedOf(movements);
  return {
    ceilingFen: sums.ceiling_fen ?? null,
    committedFen: sums.committed_fen,
    disbursedFen: sums.disbursed_fen,
    releasedFen: sums.released_fen,
    recoveredFen: sums.recovered_fen,
    netCommittedFen,
    netDisbursedFen,
    outstandingFen: outstandingOf(movements),
    executionRatePercent: percentOf(netDisbursedFen, netCommittedFen),
  };
}

const ZERO: BalanceSums = { ceiling_fen: null, committed_fen: 0, disbursed_fen: 0, released_fen: 0, recovered_fen: 0 };

function sumOf<T extends Record<string, unknown>>(rows: T[], key: keyof T): number {
  return sumFenOf(rows.map((row) => row[key] as number));
}

/** The fund execution report by category and item, reconciled with the ledger. */
export function buildFundExecutionReport(source: FundExecutionSource, generatedAt: Date): FundExecutionReport {
  const funds = source.funds.map((fund) => {
    const figures = figuresOf({ ...fund, ceiling_fen: null });
    const availableFen = fund.allocated_fen - fund.committed_fen + fund.released_fen + fund.recovered_fen;
    return {
      id: fund.fund_id,
      name: fund.name,
      sourceDocument: fund.source_document,
      receivedOn: fund.received_on,
      allocatedFen: fund.allocated_fen,
      availableFen,
      usageRatePercent: percentOf(figures.netDisbursedFen, fund.allocated_fen),
      ...figures,
    };
  });
  const itemRows = new Map(source.items.map((row) => [row.item, row]));
  const items = ITEMS.map((item) => {
    const row = itemRows.get(item.id);
    return {
      item: item.id,
      name: item.nameZh,
      category: item.category,
      categoryName: categoryLabel(item.category),
      projects: row?.projects ?? 0,
      ...figuresOf(row ?? ZERO),
    };
  });
  const categoryRows = new Map(source.categories.map((row) => [row.category, row]));
  const categories = CATEGORIES.map((category) => ({
    category: category.id,
    name: categoryLabel(category.id),
    projects: items.filter((item) => item.category === category.id).reduce((sum, item) => sum + item.projects, 0),
    ...figuresOf(categoryRows.get(category.id) ?? ZERO),
  }));

  const allocatedFen = sumOf(funds, 'allocatedFen');
  const totalSums = {
    ceiling_fen: null,
    committed_fen: sumOf(funds, 'committedFen'),
    disbursed_fen: sumOf(funds, 'disbursedFen'),
    released_fen: sumOf(funds, 'releasedFen'),
    recovered_fen: sumOf(funds, 'recoveredFen'),
  };
  const totalFigures = figuresOf(totalSums);
  const totals = {
    ...totalFigures,
    allocatedFen,
    availableFen: sumOf(funds, 'availableFen'),
    usageRatePercent: percentOf(totalFigures.netDisbursedFen, allocatedFen),
    projects: items.reduce((sum, item) => sum + item.projects, 0),
  };

  const { ledger } = source;
  const differences: string[] = [];
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) differences.push(`${what}: ${actual} ≠ 资金台账 ${expected}`);
  };
  const columns = [
    ['committedFen', 'commit', '已安排'],
    ['disbursedFen', 'disburse', '已拨付'],
    ['releasedFen', 'release', '额度收回'],
    ['recoveredFen', 'recover', '已追回'],
  ] as const;
  expect('到位资金', allocatedFen, ledger.allocate);
  for (const [key, kind, label] of columns) {
    expect(`资金${label}`, totals[key], ledger[kind]);
    expect(`类别${label}`, sumOf(categories, key), ledger[kind]);
    expect(`事项${label}`, sumOf(items, key), ledger[kind]);
  }

  return {
    kind: 'fund-execution',
    generatedAt: generatedAt.toISOString(),
    fundId: source.fundId,
    funds,
    categories,
    items,
    totals,
    reconciliation: { ledger, matches: differences.length === 0, differences },
  };
}

const fenColumn = (label: string): Column => ({ label, kind: 'fen', width: 16 });
const FIGURE_COLUMNS: Column[] = [
  { label: '项目数', kind: 'integer', width: 8 },
  fenColumn('额度（元）'),
  fenColumn('已安排（元）'),
  fenColumn('额度收回（元）'),
  fenColumn('安排净额（元）'),
  fenColumn('已拨付（元）'),
  fenColumn('已追回（元）'),
  fenColumn('待拨付（元）'),
  { label: '执行率（%）', kind: 'percent', width: 10 },
];

function figureCells(row: ExecutionFigures & { projects: number }): Cell[] {
  return [
    row.projects,
    row.ceilingFen,
    row.committedFen,
    row.releasedFen,
    row.netCommittedFen,
    row.disbursedFen,
    row.recoveredFen,
    row.outstandingFen,
    row.executionRatePercent,
  ];
}

const NOTES = [
  '安排净额 = 已安排 − 额度收回；待拨付 = 安排净额 − 已拨付；执行率 = (已拨付 − 已追回) ÷ 安排净额。',
  '资金使用率 = (已拨付 − 已追回) ÷ 到位金额；可用余额 = 到位金额 − 安排净额 + 已追回。',
];

export function fundExecutionReportDocument(report: FundExecutionReport): ReportDocument {
  const { totals } = report;
  const fundsTable: ReportTable = {
    name: '资金总体情况',
    caption: '资金到位及使用情况',
    columns: [
      { label: '资金名称', kind: 'text', width: 24 },
      { label: '资金文号', kind: 'text', width: 18 },
      { label: '到位日期', kind: 'text', width: 12 },
      fenColumn('到位金额（元）'),
      fenColumn('已安排（元）'),
      fenColumn('额度收回（元）'),
      fenColumn('已拨付（元）'),
      fenColumn('已追回（元）'),
      fenColumn('可用余额（元）'),
      { label: '资金使用率（%）', kind: 'percent', width: 12 },
    ],
    rows: report.funds.map((fund) => [
      fund.name,
      fund.sourceDocument,
      fund.receivedOn,
      fund.allocatedFen,
      fund.committedFen,
      fund.releasedFen,
      fund.disbursedFen,
      fund.recoveredFen,
      fund.availableFen,
      fund.usageRatePercent,
    ]),
    totals: [
      '合计',
      null,
      null,
      totals.allocatedFen,
      totals.committedFen,
      totals.releasedFen,
      totals.disbursedFen,
      totals.recoveredFen,
      totals.availableFen,
      totals.usageRatePercent,
    ],
    notes: NOTES,
  };
  const totalCells = figureCells({ ...totals, ceilingFen: null });
  const categoriesTable: ReportTable = {
    name: '分类别执行情况',
    caption: '分支持类别执行情况',
    columns: [{ label: '支持类别', kind: 'text', width: 20 }, ...FIGURE_COLUMNS],
    rows: report.categories.map((row) => [row.name, ...figureCells(row)]),
    totals: ['合计', ...totalCells],
    notes: NOTES.slice(0, 1),
  };
  const itemsTable: ReportTable = {
    name: '分事项执行情况',
    caption: '分支持事项执行情况',
    columns: [{ label: '支持类别', kind: 'text', width: 18 }, { label: '支持事项', kind: 'text', width: 30 }, ...FIGURE_COLUMNS],
    rows: report.items.map((row) => [row.categoryName, itemLabel(row.item), ...figureCells(row)]),
    totals: ['合计', null, ...totalCells],
    notes: NOTES.slice(0, 1),
  };
  const { ledger, matches, differences } = report.reconciliation;
  const yuan = (fen: number) => `${formatYuan(fen)} 元`;
  return {
    title: '奖励资金执行情况报告',
    subtitle: report.fundId ? report.funds[0]?.name ?? '' : '全部资金',
    meta: [
      ['资金来源', [...new Set(report.funds.map((fund) => fund.sourceDocument))].join('、') || '—'],
      ['生成时间', businessDateTimeOf(new Date(report.generatedAt))],
    ],
    sections: [
      { heading: '一、资金总体情况', tables: [fundsTable] },
      { heading: '二、分支持类别执行情况', tables: [categoriesTable] },
      { heading: '三、分支持事项执行情况', tables: [itemsTable] },
      {
        heading: '四、与资金台账核对',
        facts: [
          ['资金台账：到位', yuan(ledger.allocate)],
          ['资金台账：安排', yuan(ledger.commit)],
          ['资金台账：拨付', yuan(ledger.disburse)],
          ['资金台账：额度收回', yuan(ledger.release)],
          ['资金台账：追回', yuan(ledger.recover)],
          ['核对结果', matches ? '一致' : `不一致：${differences.join('；')}`],
        ],
      },
    ],
    csvTable: itemsTable,
    fileName: report.fundId ? `fund-execution-${report.fundId}` : 'fund-execution-all',
  };
}
