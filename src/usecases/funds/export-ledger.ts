import { findItem } from '../../../config/plan.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { formatYuan } from '../../domain/money.ts';
import type { ReportDocument, ReportTable } from '../../reports/report-document.ts';
import { listFunds, listLedgerEntries, type LedgerFilter, type LedgerKind } from '../../store/ledger.store.ts';
import { requireReader } from './read-policy.ts';

/** What each ledger kind is called where a person reads it (WORDING.md: 收回未拨付额度, 追回资金). */
export const LEDGER_KIND_NAMES: Record<LedgerKind, { zh: string; en: string }> = {
  allocate: { zh: '资金下达', en: 'Allocated' },
  commit: { zh: '安排资金', en: 'Committed' },
  disburse: { zh: '拨付资金', en: 'Disbursed' },
  release: { zh: '收回未拨付额度', en: 'Released' },
  recover: { zh: '追回资金', en: 'Recovered' },
};

/** The most entries one export carries; a larger ledger is exported per fund, item or kind. */
export const LEDGER_EXPORT_MAX = 200_000;
const PAGE = 5_000;

const beijing = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * The 资金台账 with the page's filters as one report document (rendered to CSV or XLSX by the
 * report renderers): every matching entry in id order, and the sum per kind under the table.
 */
export async function exportLedger(deps: EngineDeps, actor: Actor, filter: Omit<LedgerFilter, 'limit' | 'afterId'>) {
  requireReader('money', actor.role, 'the ledger');
  const funds = new Map((await listFunds(deps.db)).map((fund) => [fund.fund_id, fund]));
  if (filter.fundId && !funds.has(filter.fundId)) throw new AppError('not-found', `fund ${filter.fundId} does not exist`);
  const rows: ReportTable['rows'] = [];
  const sums = new Map<LedgerKind, number>();
  let afterId: number | undefined;
  for (;;) {
    const page = await listLedgerEntries(deps.db, { ...filter, limit: PAGE, ...(afterId !== undefined ? { afterId } : {}) });
    for (const entry of page) {
      sums.set(entry.kind, (sums.get(entry.kind) ?? 0) + entry.amount_fen);
      const item = entry.item ? findItem(entry.item) : undefined;
      rows.push([
        entry.id,
        beijing.format(new Date(entry.occurred_at)),
        funds.get(entry.fund_id)?.name ?? entry.fund_id,
        LEDGER_KIND_NAMES[entry.kind].zh,
        entry.project_code ?? '',
        item ? `${item.id}. ${item.nameZh}` : '',
        entry.amount_fen,
        entry.reason ?? '',
      ]);
    }
    if (page.length < PAGE) break;
    if (rows.length >= LEDGER_EXPORT_MAX) throw new AppError('bad-input', `more than ${LEDGER_EXPORT_MAX} entries match; narrow the filters`, { errors: [{ field: 'fundId', message: 'too many entries; filter by fund, item or kind' }] });
    afterId = page.at(-1)!.id;
  }
  const fund = filter.fundId ? funds.get(filter.fundId) : undefined;
  const filters: [string, string][] = [
    ['资金', fund ? `${fund.name}（${fund.source_document}）` : '全部'],
    ['类型', filter.kind ? LEDGER_KIND_NAMES[filter.kind].zh : '全部'],
    ['支持事项', filter.item ? `${filter.item}. ${findItem(filter.item)!.nameZh}` : '全部'],
    ['项目', rows.length && filter.projectId ? String(rows[0]![4]) : filter.projectId ? filter.projectId : '全部'],
    ['导出时间（北京时间）', beijing.format(deps.now())],
  ];
  const table: ReportTable = {
    name: '资金台账',
    columns: [
      { label: '序号', kind: 'integer', width: 8 },
      { label: '时间（北京时间）', kind: 'text', width: 20 },
      { label: '资金', kind: 'text', width: 24 },
      { label: '类型', kind: 'text', width: 16 },
      { label: '项目编号', kind: 'text', width: 18 },
      { label: '支持事项', kind: 'text', width: 26 },
      { label: '金额（元）', kind: 'fen', width: 18 },
      { label: '事由', kind: 'text', width: 40 },
    ],
    rows,
    notes: (Object.keys(LEDGER_KIND_NAMES) as LedgerKind[])
      .filter((kind) => sums.has(kind))
      .map((kind) => `${LEDGER_KIND_NAMES[kind].zh}合计：${formatYuan(sums.get(kind)!)} 元`),
  };
  const document: ReportDocument = {
    title: '阳城县中小企业奖励资金 资金台账',
    meta: filters,
    sections: [{ heading: '资金台账', tables: [table] }],
    csvTable: table,
    fileName: `ledger-${new Date(deps.now()).toISOString().slice(0, 10)}`,
  };
  return { document, now: deps.now(), count: rows.length, sumsFen: Object.fromEntries(sums) as Partial<Record<LedgerKind, number>> };
}
