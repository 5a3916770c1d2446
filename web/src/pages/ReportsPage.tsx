import { Alert, Button, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { request } from '../api/client.ts';
import { listFunds, queryOf, type Fund, type MonthlyReportMonth } from '../api/county.ts';
import { resolveProjectId } from '../api/projects.ts';
import { useLang } from '../i18n.tsx';
import { beijingDateOf, formatBeijing, formatBusinessDate } from '../lib/format.ts';
import { SUCCESS_TAG } from '../lib/tag-styles.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { DateField } from '../components/DateField.tsx';
import { useWideScreen } from '../lib/use-wide-screen.ts';

type ReportKind = 'supervision' | 'fund-execution' | 'evaluation';

/** The report's address in a format: every report route takes ?format=json|html|xlsx|csv. */
function reportUrl(kind: ReportKind, query: Record<string, string | undefined>, format: 'html' | 'xlsx' | 'csv'): string {
  if (kind === 'evaluation') return `/api/v1/reports/evaluation/${query.projectId}${queryOf({ format })}`;
  return `/api/v1/reports/${kind}${queryOf({ ...query, format })}`;
}

/**
 * The report's HTML in a sandboxed frame: fetched with the session, shown through srcdoc with no
 * script, form or navigation allowed, so the page cannot be driven by what a report contains.
 */
function ReportPreview({ kind, query, title }: { kind: ReportKind; query: Record<string, string | undefined> | null; title: string }) {
  const { t } = useLang();
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setHtml(null);
    setError(null);
    if (!query) return;
    let live = true;
    fetch(reportUrl(kind, query, 'html'), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(async (response) => {
        if (!live) return;
        if (!response.ok) {
          const problem = await response.json().catch(() => ({}));
          setError(messageOfProblem({ ...problem, status: response.status }).text);
          return;
        }
        setHtml(await response.text());
      })
      .catch(() => live && setError(t('报表加载失败', 'Could not load the report')));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, JSON.stringify(query)]);
  if (!query) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong>{t('下载', 'Download')}：</Typography.Text>
        {(['html', 'xlsx', 'csv'] as const).map((format) => (
          <a key={format} href={reportUrl(kind, query, format)} download data-testid={`download-${kind}-${format}`}>
            {{ html: t('网页（HTML）', 'HTML'), xlsx: 'Excel（XLSX）', csv: 'CSV' }[format]}
          </a>
        ))}
      </Space>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {html !== null ? <iframe title={title} sandbox="" srcDoc={html} data-testid={`preview-${kind}`} style={{ width: '100%', height: 640, border: '1px solid #d9d9d9', background: '#fff' }} /> : error ? null : <Typography.Text>{t('正在生成报表…', 'Generating…')}</Typography.Text>}
    </Space>
  );
}

function firstOfMonth(today: string): string {
  return `${today.slice(0, 7)}-01`;
}

/** 报表: the supervision report for any period, the fund execution report per fund, the evaluation report per project, and the monthly reports that were emailed. */
export default function ReportsPage() {
  const { t } = useLang();
  // At phone width the full report names overflow the tab bar, and antd then puts a "more" button inside the
  // tablist (axe: aria-required-children); the short names fit in one row at 390 px.
  const narrow = !useWideScreen();
  const [params, setParams] = useSearchParams();
  const today = beijingDateOf(new Date());
  const tab = (params.get('tab') as ReportKind | 'history' | null) ?? 'supervision';
  const from = params.get('from') ?? firstOfMonth(today);
  const to = params.get('to') ?? today;
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  const [funds, setFunds] = useState<Fund[]>([]);
  const fundId = params.get('fundId') ?? undefined;
  const [code, setCode] = useState(params.get('project') ?? '');
  const [projectId, setProjectId] = useState<string | null>(null);
  const [projectError, setProjectError] = useState<string | null>(null);
  const [history, setHistory] = useState<MonthlyReportMonth[] | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  useEffect(() => {
    listFunds().then((answer) => setFunds(answer.items), () => setFunds([]));
    request<{ items: MonthlyReportMonth[] }>('GET', '/api/v1/reports/monthly-history').then(
      (answer) => setHistory(answer.items),
      (failure) => setHistoryError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('加载失败', 'Could not load')),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const project = params.get('project');
  useEffect(() => {
    setProjectId(null);
    setProjectError(null);
    if (!project) return;
    resolveProjectId(project).then(
      (id) => (id ? setProjectId(id) : setProjectError(t(`没有找到项目 ${project}`, `No project ${project}`))),
      () => setProjectError(t(`没有找到项目 ${project}`, `No project ${project}`)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project]);

  const supervision = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap align="end">
        <label>
          {t('开始日期', 'From')}{' '}
          <DateField value={fromInput} onChange={(value) => setFromInput(value ?? '')} width={170} />
        </label>
        <label>
          {t('结束日期', 'To')}{' '}
          <DateField value={toInput} onChange={(value) => setToInput(value ?? '')} width={170} />
        </label>
        <Button type="primary" onClick={() => set({ from: fromInput, to: toInput })}>
          {t('生成报表', 'Show report')}
        </Button>
      </Space>
      <ReportPreview kind="supervision" query={{ from, to }} title={t(`监督检查情况报告 ${from} 至 ${to}`, `Supervision report ${from} to ${to}`)} />
    </Space>
  );

  const fundExecution = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        allowClear
        style={{ minWidth: 280 }}
        aria-label={t('资金', 'Fund')}
        placeholder={t('全部资金', 'All funds')}
        value={fundId}
        onChange={(value) => set({ fundId: value })}
        options={funds.map((fund) => ({ value: fund.id, label: `${fund.name}（${fund.sourceDocument}）` }))}
      />
      <ReportPreview kind="fund-execution" query={fundId ? { fundId } : {}} title={t('资金执行情况报告', 'Fund execution report')} />
    </Space>
  );

  const evaluation = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search
        style={{ width: 320 }}
        aria-label={t('项目编号', 'Project code')}
        placeholder={t('项目编号，如 YC-2026-05-001', 'Project code')}
        enterButton={t('查看', 'Show')}
        value={code}
        onChange={(event) => setCode(event.target.value)}
        onSearch={(value) => set({ project: value.trim() })}
      />
      {projectError ? <Alert type="error" showIcon message={projectError} /> : null}
      <ReportPreview kind="evaluation" query={projectId ? { projectId } : null} title={t(`绩效评价报告 ${project ?? ''}`, `Evaluation report ${project ?? ''}`)} />
    </Space>
  );

  const historyTable = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph>{t('每月 1 日向省市主管部门发送上月监督检查情况报告和资金执行情况报告（Excel 附件）。', 'On the 1st of each month the reports of the month before are emailed to the provincial and municipal departments.')}</Typography.Paragraph>
      {historyError ? <Alert type="error" showIcon message={historyError} /> : null}
      <Table<MonthlyReportMonth>
        rowKey="month"
        size="small"
        loading={history === null && !historyError}
        dataSource={history ?? []}
        pagination={false}
        locale={{ emptyText: t('尚未发送过月报', 'No monthly report was sent yet') }}
        columns={[
          { title: t('月份', 'Month'), dataIndex: 'month', width: 100 },
          { title: t('发送时间（北京时间）', 'Sent (Beijing)'), dataIndex: 'appliedAt', width: 170, render: (at: string | null) => formatBeijing(at) },
          {
            title: t('收件人', 'Recipients'),
            dataIndex: 'recipients',
            render: (recipients: MonthlyReportMonth['recipients']) =>
              recipients.length ? (
                <Space direction="vertical" size={2}>
                  {recipients.map((recipient) => (
                    <span key={recipient.email}>
                      {recipient.name ?? recipient.email}（{recipient.email}）{' '}
                      {recipient.status === 'sent' ? <Tag style={SUCCESS_TAG}>{t('已发送', 'Sent')}</Tag> : recipient.status === 'failed' ? <Tag color="error">{t('发送失败', 'Failed')}</Tag> : <Tag>{t('发送中', 'Sending')}</Tag>}
                    </span>
                  ))}
                </Space>
              ) : (
                t('无收件人', 'No recipients')
              ),
          },
          {
            title: t('报告', 'Report'),
            key: 'report',
            width: 200,
            render: (_: unknown, row) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => { setFromInput(row.from); setToInput(row.to); set({ tab: 'supervision', from: row.from, to: row.to }); }}>
                {t(`查看${formatBusinessDate(row.from)}至${formatBusinessDate(row.to)}报告`, `Show ${row.from} to ${row.to}`)}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        {t('报表', 'Reports')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => set({ tab: key })}
        items={[
          { key: 'supervision', label: narrow ? t('监督检查', 'Supervision') : t('监督检查情况报告', 'Supervision'), children: tab === 'supervision' ? supervision : null },
          { key: 'fund-execution', label: narrow ? t('资金执行', 'Funds') : t('资金执行情况报告', 'Fund execution'), children: tab === 'fund-execution' ? fundExecution : null },
          { key: 'evaluation', label: narrow ? t('绩效评价', 'Evaluation') : t('绩效评价报告', 'Evaluation'), children: tab === 'evaluation' ? evaluation : null },
          { key: 'history', label: narrow ? t('月报记录', 'Sent') : t('月报发送记录', 'Monthly reports sent'), children: historyTable },
        ]}
      />
    </Space>
  );
}
