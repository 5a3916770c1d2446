import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { request } from '../api/client.ts';
import { LEDGER_KIND_NAMES, listFunds, queryOf, type Fund, type LedgerKind, type LedgerRow } from '../api/county.ts';
import { resolveProjectId } from '../api/projects.ts';
import { useLang } from '../i18n.tsx';
import { formatBeijing, formatFen, parseYuanToFen } from '../lib/format.ts';
import { itemGroups, itemName } from '../lib/labels.ts';
import { SUCCESS_TAG, WARNING_TAG } from '../lib/tag-styles.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { useSession } from '../session.tsx';
import { DateField } from '../components/DateField.tsx';

const PAGE = 100;
const problemText = (failure: unknown, fallback: string) => (failure instanceof ApiError ? messageOfProblem(failure.problem).text : fallback);

/** 资金: the funds with their balances (the ledger's own rows), the 资金台账 filtered and exported, and, for the Finance Bureau, a new fund and a recovery. */
export default function FundsPage() {
  const { lang, t } = useLang();
  const { user } = useSession();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [funds, setFunds] = useState<Fund[] | null>(null);
  const [fundsError, setFundsError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [recovering, setRecovering] = useState(false);
  const fundId = params.get('fund') ?? undefined;
  const kind = (params.get('kind') as LedgerKind | null) ?? undefined;
  const item = params.get('item') ? Number(params.get('item')) : undefined;
  const projectCode = params.get('project') ?? '';
  const [projectId, setProjectId] = useState<string | null | undefined>(undefined);
  const [rows, setRows] = useState<LedgerRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const finance = user.role === 'finance';
  const mayCreate = finance || user.role === 'admin';

  const reloadFunds = useCallback(() => {
    listFunds().then(
      (answer) => {
        setFunds(answer.items);
        setFundsError(null);
      },
      (failure) => setFundsError(problemText(failure, t('资金加载失败', 'Could not load funds'))),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(reloadFunds, [reloadFunds]);

  // A project is named by its code; the ledger filters by id.
  useEffect(() => {
    if (!projectCode) return setProjectId(undefined);
    let live = true;
    resolveProjectId(projectCode).then((id) => live && setProjectId(id), () => live && setProjectId(null));
    return () => {
      live = false;
    };
  }, [projectCode]);

  const filters = { fundId, kind, item, projectId: projectId ?? undefined };
  const filterKey = JSON.stringify(filters);

  const loadLedger = useCallback(
    async (after: number | null) => {
      if (projectCode && projectId === undefined) return;
      if (projectCode && projectId === null) {
        setRows([]);
        setNext(null);
        setLoading(false);
        setError(t(`没有找到项目 ${projectCode}`, `No project ${projectCode}`));
        return;
      }
      setLoading(true);
      try {
        const answer = await request<{ items: LedgerRow[]; next: number | null }>('GET', `/api/v1/ledger${queryOf({ ...filters, limit: PAGE, after })}`);
        setRows((before) => (after !== null ? [...before, ...answer.items] : answer.items));
        setNext(answer.next);
        setError(null);
      } catch (failure) {
        setError(problemText(failure, t('资金台账加载失败', 'Could not load the ledger')));
      } finally {
        setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filterKey, projectCode],
  );
  useEffect(() => {
    void loadLedger(null);
  }, [loadLedger]);

  const setFilter = (key: string, value: string | number | undefined) => {
    const nextParams = new URLSearchParams(params);
    if (value === undefined || value === '') nextParams.delete(key);
    else nextParams.set(key, String(value));
    setParams(nextParams, { replace: true });
  };

  const fundName = (id: string) => funds?.find((fund) => fund.id === id)?.name ?? id.slice(0, 8);
  const exportHref = (format: 'csv' | 'xlsx') => `/api/v1/ledger/export${queryOf({ ...filters, format })}`;

  const fundColumns: ColumnsType<Fund> = [
    { title: t('资金名称', 'Fund'), dataIndex: 'name', render: (name: string, fund) => <Button type="link" style={{ padding: 0 }} onClick={() => setFilter('fund', fund.id)}>{name}</Button> },
    { title: t('文号', 'Document'), dataIndex: 'sourceDocument' },
    { title: t('到账日期', 'Received'), dataIndex: 'receivedOn', width: 110 },
    ...(
      [
        ['allocatedFen', t('资金总额', 'Allocated')],
        ['committedFen', t('已安排', 'Committed')],
        ['disbursedFen', t('已拨付', 'Disbursed')],
        ['releasedFen', t('收回未拨付额度', 'Released')],
        ['recoveredFen', t('追回资金', 'Recovered')],
        ['availableFen', t('可安排', 'Available')],
      ] as const
    ).map(([key, label]) => ({ title: `${label}（元）`, key, align: 'right' as const, render: (_: unknown, fund: Fund) => <span data-testid={`fund-${key}`}>{formatFen(fund.balances[key], '')}</span> })),
    { title: t('状态', 'Status'), dataIndex: 'status', width: 120, render: (status: Fund['status']) => (status === 'open' ? <Tag style={SUCCESS_TAG}>{t('可安排', 'Open')}</Tag> : <Tag style={WARNING_TAG}>{t('已全部安排', 'Fully committed')}</Tag>) },
  ];

  const ledgerColumns: ColumnsType<LedgerRow> = [
    { title: t('序号', 'No.'), dataIndex: 'id', width: 70 },
    { title: t('时间（北京时间）', 'When (Beijing)'), dataIndex: 'at', width: 150, render: (at: string) => formatBeijing(at) },
    { title: t('资金', 'Fund'), dataIndex: 'fundId', render: (id: string) => fundName(id) },
    { title: t('类型', 'Kind'), dataIndex: 'kind', width: 130, render: (value: LedgerKind) => (lang === 'zh' ? LEDGER_KIND_NAMES[value].zh : LEDGER_KIND_NAMES[value].en) },
    { title: t('项目', 'Project'), dataIndex: 'projectCode', width: 150, render: (code: string | null) => (code ? <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link> : '—') },
    { title: t('支持事项', 'Item'), dataIndex: 'item', render: (id: number | null) => (id ? itemName(id, lang) : '—') },
    { title: t('金额（元）', 'Amount'), dataIndex: 'amountFen', align: 'right', width: 150, render: (fen: number) => formatFen(fen, '') },
    { title: t('事由', 'Reason'), dataIndex: 'reason', render: (reason: string | null) => reason ?? '—' },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('资金', 'Funds')}
        </Typography.Title>
        <Space wrap>
          {mayCreate ? (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('登记资金', 'Record a fund')}
            </Button>
          ) : null}
          {finance ? <Button onClick={() => setRecovering(true)}>{t('登记追回资金', 'Record a recovery')}</Button> : null}
        </Space>
      </Space>
      {fundsError ? <Typography.Text type="danger">{fundsError}</Typography.Text> : null}
      <Table<Fund> rowKey="id" size="small" loading={funds === null} columns={fundColumns} dataSource={funds ?? []} pagination={false} scroll={{ x: 1100 }} data-testid="funds-table" />

      <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
        {t('资金台账', 'Fund ledger')}
      </Typography.Title>
      <Space wrap>
        <Select allowClear style={{ minWidth: 220 }} aria-label={t('资金', 'Fund')} placeholder={t('全部资金', 'All funds')} value={fundId} onChange={(value) => setFilter('fund', value)} options={(funds ?? []).map((fund) => ({ value: fund.id, label: fund.name }))} />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          aria-label={t('类型', 'Kind')}
          placeholder={t('全部类型', 'All kinds')}
          value={kind}
          onChange={(value) => setFilter('kind', value)}
          options={(Object.keys(LEDGER_KIND_NAMES) as LedgerKind[]).map((value) => ({ value, label: lang === 'zh' ? LEDGER_KIND_NAMES[value].zh : LEDGER_KIND_NAMES[value].en }))}
        />
        <Select allowClear style={{ minWidth: 240 }} aria-label={t('支持事项', 'Item')} placeholder={t('全部支持事项', 'All items')} value={item} onChange={(value) => setFilter('item', value)} options={itemGroups(lang)} />
        <Input.Search
          allowClear
          style={{ width: 240 }}
          aria-label={t('项目编号', 'Project code')}
          placeholder={t('项目编号，如 YC-2026-05-001', 'Project code')}
          defaultValue={projectCode}
          onSearch={(value) => setFilter('project', value.trim())}
        />
        <a href={exportHref('csv')} download>
          {t('导出 CSV', 'Export CSV')}
        </a>
        <a href={exportHref('xlsx')} download>
          {t('导出 Excel', 'Export Excel')}
        </a>
      </Space>
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      <Table<LedgerRow> rowKey="id" size="small" loading={loading} columns={ledgerColumns} dataSource={rows} pagination={false} scroll={{ x: 1100 }} data-testid="ledger-table" locale={{ emptyText: t('没有符合条件的台账记录', 'No entries match') }} />
      {next !== null ? <Button onClick={() => void loadLedger(next)}>{t('加载更多', 'Load more')}</Button> : null}

      {creating ? <CreateFundModal onClose={(created) => { setCreating(false); if (created) { message.success(t('资金已登记', 'Fund recorded')); reloadFunds(); void loadLedger(null); } }} /> : null}
      {recovering ? <RecoveryModal onClose={(done) => { setRecovering(false); if (done) { message.success(t('追回资金已登记', 'Recovery recorded')); reloadFunds(); void loadLedger(null); } }} /> : null}
    </Space>
  );
}

function CreateFundModal({ onClose }: { onClose: (created: boolean) => void }) {
  const { t } = useLang();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(values: { name: string; sourceDocument: string; amount: string; receivedOn: string }) {
    setSaving(true);
    try {
      await request('POST', '/api/v1/funds', { name: values.name, sourceDocument: values.sourceDocument, amountFen: parseYuanToFen(values.amount), receivedOn: values.receivedOn });
      onClose(true);
    } catch (failure) {
      setProblem(problemText(failure, t('登记失败', 'Could not record the fund')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('登记资金', 'Record a fund')} okText={t('登记', 'Record')} cancelText={t('取消', 'Cancel')} confirmLoading={saving} onOk={() => form.submit()} onCancel={() => onClose(false)} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="name" label={t('资金名称', 'Name')} rules={[{ required: true, whitespace: true, message: t('请填写资金名称', 'Required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="sourceDocument" label={t('下达文号', 'Source document')} rules={[{ required: true, whitespace: true, message: t('请填写下达文号', 'Required') }]}>
          <Input maxLength={200} placeholder="晋企发〔2023〕1号" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('金额（元）', 'Amount (yuan)')}
          rules={[{ validator: (_, value: string) => ((parseYuanToFen(value ?? '') ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('请填写大于 0 的金额，最多两位小数', 'An amount above 0, at most two decimals')))) }]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="receivedOn" label={t('到账日期', 'Received on')} rules={[{ required: true, message: t('请选择到账日期', 'Required') }]}>
          <DateField />
        </Form.Item>
        {problem ? <Typography.Text type="danger">{problem}</Typography.Text> : null}
      </Form>
    </Modal>
  );
}

function RecoveryModal({ onClose }: { onClose: (done: boolean) => void }) {
  const { t } = useLang();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(values: { code: string; amount: string; reason: string }) {
    setSaving(true);
    try {
      const id = await resolveProjectId(values.code.trim());
      if (!id) {
        setProblem(t(`没有找到项目 ${values.code}`, `No project ${values.code}`));
        return;
      }
      await request('POST', `/api/v1/projects/${id}/recoveries`, { amountFen: parseYuanToFen(values.amount), reason: values.reason }, { 'Idempotency-Key': crypto.randomUUID() });
      onClose(true);
    } catch (failure) {
      setProblem(problemText(failure, t('登记失败', 'Could not record the recovery')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('登记追回资金', 'Record a recovery')} okText={t('登记', 'Record')} cancelText={t('取消', 'Cancel')} confirmLoading={saving} onOk={() => form.submit()} onCancel={() => onClose(false)} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="code" label={t('项目编号', 'Project code')} rules={[{ required: true, whitespace: true, message: t('请填写项目编号', 'Required') }]}>
          <Input placeholder="YC-2026-05-001" />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('追回金额（元）', 'Amount (yuan)')}
          rules={[{ validator: (_, value: string) => ((parseYuanToFen(value ?? '') ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('请填写大于 0 的金额，最多两位小数', 'An amount above 0, at most two decimals')))) }]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="reason" label={t('追回原因', 'Reason')} rules={[{ required: true, whitespace: true, message: t('请填写追回原因', 'Required') }]}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        {problem ? <Typography.Text type="danger">{problem}</Typography.Text> : null}
      </Form>
    </Modal>
  );
}
