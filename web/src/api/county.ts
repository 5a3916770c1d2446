import { request } from './client.ts';

/** Bodies of the county-view answers (dashboard panels, alerts, funds, report history), written from the routes. */

export interface Pair {
  zh: string;
  en: string;
}

export interface Movements {
  committedFen: number;
  disbursedFen: number;
  releasedFen: number;
  recoveredFen: number;
}

export interface CeilingRow extends Movements {
  id: number;
  nameZh: string;
  nameEn: string;
  ceilingFen: number | null;
  netCommittedFen: number;
  netDisbursedFen: number;
  availableFen: number | null;
}

export interface BalancesPanel {
  fundId: string | null;
  funds: number;
  totals: Movements & { allocatedFen: number; availableFen: number; outstandingCommitmentFen: number };
  categories: CeilingRow[];
  items: (CeilingRow & { category: number })[];
}

export interface FunnelPanel {
  total: number;
  stages: { state: string; zh: string; en: string; count: number }[];
  ends: { state: string; zh: string; en: string; count: number }[];
}

export interface OverduePanel {
  today: string;
  deadlines: { total: number; byKind: { kind: string; name: Pair; count: number }[]; oldest: { projectId: string; code: string; item: number; deadline: string; name: Pair; dueDate: string }[] };
  tasks: { total: number; byKind: { kind: string; name: Pair; count: number }[]; oldest: { projectId: string; code: string; item: number; kind: string; name: Pair; role: string; dueDate: string }[] };
  byItem: { item: number; count: number }[];
}

export type Light = 'green' | 'yellow' | 'red';
export interface LightsPanel {
  checkedOn: string | null;
  counts: Record<Light, number>;
  byItem: ({ item: number } & Record<Light, number>)[];
  flagged: { projectId: string; code: string; title: string; item: number; light: 'yellow' | 'red' }[];
}

export interface DisbursementPanel {
  today: string;
  elapsedPercent: number;
  total: { netCommittedFen: number; netDisbursedFen: number; disbursedPercent: number | null };
  items: { item: number; nameZh: string; nameEn: string; netCommittedFen: number; netDisbursedFen: number; disbursedPercent: number | null }[];
}

export interface MonthPanel {
  month: string;
  proposals: number;
  submitted: number;
  approvalSteps: number;
  approved: number;
  rejected: number;
  returned: number;
  byItem: { item: number; proposals: number; approved: number; rejected: number }[];
}

export interface Alert {
  id: string;
  kind: string;
  kindName: Pair;
  severity: 'info' | 'yellow' | 'red';
  projectId: string | null;
  projectCode: string | null;
  item: number | null;
  audienceRole: string;
  message: string;
  at: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedNote: string | null;
}

export interface Fund {
  id: string;
  sourceDocument: string;
  name: string;
  receivedOn: string;
  status: 'open' | 'exhausted';
  balances: Movements & { allocatedFen: number; availableFen: number; outstandingCommitmentFen: number };
}

export type LedgerKind = 'allocate' | 'commit' | 'disburse' | 'release' | 'recover';
export interface LedgerRow {
  id: number;
  fundId: string;
  kind: LedgerKind;
  projectId: string | null;
  projectCode: string | null;
  item: number | null;
  amountFen: number;
  reason: string | null;
  at: string;
}

export interface MonthlyReportMonth {
  month: string;
  from: string;
  to: string;
  appliedAt: string | null;
  recipients: { name: string | null; email: string; status: 'sending' | 'sent' | 'failed'; attempts: number; sentAt: string | null; error: string | null }[];
}

/** The ledger's kinds as a person reads them (WORDING.md: 收回未拨付额度, 追回资金). */
export const LEDGER_KIND_NAMES: Record<LedgerKind, Pair> = {
  allocate: { zh: '资金下达', en: 'Allocated' },
  commit: { zh: '安排资金', en: 'Committed' },
  disburse: { zh: '拨付资金', en: 'Disbursed' },
  release: { zh: '收回未拨付额度', en: 'Released' },
  recover: { zh: '追回资金', en: 'Recovered' },
};

export const getPanel = <T,>(panel: string, query = '') => request<T>('GET', `/api/v1/dashboard/${panel}${query}`);
export const listFunds = () => request<{ items: Fund[] }>('GET', '/api/v1/funds');

/** The query string of a filter object, leaving out empty values. */
export function queryOf(filters: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
