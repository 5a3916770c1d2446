import { Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { getPanel, listFunds, queryOf, type BalancesPanel, type DisbursementPanel, type Fund, type FunnelPanel, type LightsPanel, type MonthPanel, type OverduePanel } from '../api/county.ts';
import { ChartPanel } from '../components/ChartPanel.tsx';
import { EChart, type EChartOption } from '../components/EChart.tsx';
import { useLang } from '../i18n.tsx';
import { formatBusinessDate, formatFen } from '../lib/format.ts';
import { itemName } from '../lib/labels.ts';
import { WARNING_TAG } from '../lib/tag-styles.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';

/** One panel's request: its data, whether it is loading, and the problem in words. */
function usePanel<T>(panel: string, query = '') {
  const { t } = useLang();
  const [state, setState] = useState<{ data: T | null; loading: boolean; error: string | null }>({ data: null, loading: true, error: null });
  useEffect(() => {
    let live = true;
    setState((before) => ({ ...before, loading: true }));
    getPanel<T>(panel, query).then(
      (data) => live && setState({ data, loading: false, error: null }),
      (failure) => live && setState({ data: null, loading: false, error: failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('加载失败', 'Could not load') }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [panel, query]);
  return state;
}

/** 元 → 万元 for chart axes (the tables keep exact 元). */
const wan = (fen: number) => Math.round(fen / 10_000) / 100;
const LIGHT_COLOURS = { green: '#2e7d32', yellow: '#b7791f', red: '#c21f1f' } as const;

/** 总览: the county's programme at a glance, one request per panel, every chart with its table and a click to the filtered project list. */
export default function DashboardPage() {
  const { lang, t } = useLang();
  const navigate = useNavigate();
  const [funds, setFunds] = useState<Fund[]>([]);
  const [fundId, setFundId] = useState<string | undefined>();
  useEffect(() => {
    listFunds().then((answer) => setFunds(answer.items), () => setFunds([]));
  }, []);
  const fundQuery = queryOf({ fundId });
  const balances = usePanel<BalancesPanel>('balances', fundQuery);
  const funnel = usePanel<FunnelPanel>('funnel');
  const overdue = usePanel<OverduePanel>('overdue');
  const lights = usePanel<LightsPanel>('lights');
  const pace = usePanel<DisbursementPanel>('disbursement', fundQuery);
  const month = usePanel<MonthPanel>('month');
  const projects = (filters: Record<string, string | number | undefined>) => navigate(`/projects${queryOf(filters)}`);
  const pick = (pair: { zh: string; en: string } | { nameZh: string; nameEn: string }) => ('zh' in pair ? (lang === 'zh' ? pair.zh : pair.en) : lang === 'zh' ? pair.nameZh : pair.nameEn);

  const fundPicker = (
    <Select
      size="small"
      style={{ minWidth: 200 }}
      aria-label={t('资金', 'Fund')}
      allowClear
      placeholder={t('全部资金', 'All funds')}
      value={fundId}
      onChange={(value) => setFundId(value)}
      options={funds.map((fund) => ({ value: fund.id, label: `${fund.name}（${fund.sourceDocument}）` }))}
    />
  );

  const balanceChart = useMemo<EChartOption | null>(() => {
    const data = balances.data;
    if (!data) return null;
    const rows = data.items.filter((item) => item.committedFen > 0 || item.ceilingFen);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: 'category', data: rows.map((row) => itemName(row.id, lang)), axisLabel: { interval: 0, rotate: 30, width: 90, overflow: 'truncate' } },
      yAxis: { type: 'value', name: t('万元', '10k yuan') },
      series: [
        { name: t('已拨付（净）', 'Disbursed (net)'), type: 'bar', stack: 'money', barMaxWidth: 48, data: rows.map((row) => ({ value: wan(row.netDisbursedFen), item: row.id })) },
        { name: t('已安排未拨付', 'Committed, not paid'), type: 'bar', stack: 'money', barMaxWidth: 48, data: rows.map((row) => ({ value: wan(row.committedFen - row.releasedFen - row.disbursedFen), item: row.id })) },
      ],
    };
  }, [balances.data, lang]);

  const balanceColumns = [
    { title: t('类别/事项', 'Category / item'), dataIndex: 'label', render: (label: string, row: { item?: number }) => (row.item ? <Link to={`/projects${queryOf({ item: row.item })}`}>{label}</Link> : <strong>{label}</strong>) },
    { title: t('限额（元）', 'Ceiling'), dataIndex: 'ceilingFen', align: 'right' as const, render: (fen: number | null) => (fen === null ? t('不设限额', 'none') : formatFen(fen, '')) },
    { title: t('已安排（元）', 'Committed'), dataIndex: 'committedFen', align: 'right' as const, render: (fen: number) => formatFen(fen, '') },
    { title: t('已拨付（元）', 'Disbursed'), dataIndex: 'disbursedFen', align: 'right' as const, render: (fen: number) => formatFen(fen, '') },
    { title: t('收回未拨付额度（元）', 'Released'), dataIndex: 'releasedFen', align: 'right' as const, render: (fen: number) => formatFen(fen, '') },
    { title: t('追回资金（元）', 'Recovered'), dataIndex: 'recoveredFen', align: 'right' as const, render: (fen: number) => formatFen(fen, '') },
    { title: t('可安排（元）', 'Available'), dataIndex: 'availableFen', align: 'right' as const, render: (fen: number | null) => (fen === null ? '—' : formatFen(fen, '')) },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        {t('总览', 'Dashboard')}
      </Typography.Title>

      <ChartPanel
        testId="panel-balances"
        title={t('资金情况', 'Fund balances')}
        extra={fundPicker}
        loading={balances.loading}
        error={balances.error}
        chart={() => (
          <>
            <Totals data={balances.data!} />
            {balanceChart ? <EChart option={balanceChart} label={t('各支持事项已拨付和已安排未拨付金额柱状图', 'Disbursed and committed per item')} onClick={(event) => projects({ item: (event.data as { item: number }).item })} /> : null}
          </>
        )}
        table={() => (
          <>
            <Totals data={balances.data!} />
            <Table
              size="small"
              pagination={false}
              rowKey="key"
              scroll={{ x: true }}
              columns={balanceColumns}
              dataSource={balances.data!.categories.flatMap((category) => [
                { key: `c${category.id}`, label: pick(category), item: undefined as number | undefined, ...category },
                ...balances.data!.items.filter((item) => item.category === category.id).map((item) => ({ key: `i${item.id}`, item: item.id, label: itemName(item.id, lang), ...item })),
              ])}
            />
          </>
        )}
      />

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ChartPanel
            testId="panel-funnel"
            title={t('项目进展', 'Projects by stage')}
            loading={funnel.loading}
            error={funnel.error}
            chart={() => (
              <EChart
                label={t('从申报到结项各阶段项目数条形图', 'Projects per stage, from proposal to closing')}
                onClick={(event) => projects({ state: (event.data as { state: string }).state })}
                option={{
                  // A funnel drawn as ordered bars: stages with no project stay readable (an ECharts funnel folds them away).
                  tooltip: { trigger: 'axis' },
                  grid: { left: 8, right: 32, bottom: 8, top: 8, containLabel: true },
                  xAxis: { type: 'value', minInterval: 1 },
                  yAxis: { type: 'category', inverse: true, data: funnel.data!.stages.map((stage) => pick(stage)) },
                  series: [{ type: 'bar', name: t('项目数', 'Projects'), barMaxWidth: 22, label: { show: true, position: 'right' }, data: funnel.data!.stages.map((stage) => ({ value: stage.count, state: stage.state })) }],
                }}
              />
            )}
            table={() => (
              <Table
                size="small"
                pagination={false}
                rowKey="state"
                dataSource={[...funnel.data!.stages, ...funnel.data!.ends]}
                columns={[
                  { title: t('阶段', 'Stage'), dataIndex: 'state', render: (_: string, row) => <Link to={`/projects${queryOf({ state: row.state })}`}>{pick(row)}</Link> },
                  { title: t('项目数', 'Projects'), dataIndex: 'count', align: 'right' },
                ]}
              />
            )}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartPanel
            testId="panel-lights"
            title={t('双监控', 'Dual monitoring')}
            extra={lights.data?.checkedOn ? <Typography.Text type="secondary">{t(`${formatBusinessDate(lights.data.checkedOn)}每日检查`, `check of ${lights.data.checkedOn}`)}</Typography.Text> : null}
            loading={lights.loading}
            error={lights.error}
            chart={() =>
              lights.data!.checkedOn ? (
                <EChart
                  label={t('实施中项目双监控绿黄红灯数量饼图', 'Executing projects by light')}
                  onClick={(event) => projects({ light: (event.data as { light: string }).light, state: 'executing' })}
                  option={{
                    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
                    legend: { bottom: 0 },
                    series: [
                      {
                        type: 'pie',
                        radius: ['40%', '70%'],
                        label: { formatter: '{b} {c}' },
                        data: (['green', 'yellow', 'red'] as const).map((light) => ({
                          name: { green: t('绿灯', 'Green'), yellow: t('黄灯', 'Yellow'), red: t('红灯', 'Red') }[light],
                          value: lights.data!.counts[light],
                          light,
                          itemStyle: { color: LIGHT_COLOURS[light] },
                        })),
                      },
                    ],
                  }}
                />
              ) : (
                <Typography.Paragraph>{t('每日检查尚未运行，暂无双监控结果。', 'The daily check has not run yet.')}</Typography.Paragraph>
              )
            }
            table={() => (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text>
                  {t('绿灯', 'Green')} <Link to={`/projects${queryOf({ light: 'green', state: 'executing' })}`}>{lights.data!.counts.green}</Link>，{t('黄灯', 'yellow')}{' '}
                  <Link to={`/projects${queryOf({ light: 'yellow', state: 'executing' })}`}>{lights.data!.counts.yellow}</Link>，{t('红灯', 'red')}{' '}
                  <Link to={`/projects${queryOf({ light: 'red', state: 'executing' })}`}>{lights.data!.counts.red}</Link>
                </Typography.Text>
                <Table
                  size="small"
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  rowKey="projectId"
                  dataSource={lights.data!.flagged}
                  columns={[
                    { title: t('项目', 'Project'), dataIndex: 'code', render: (code: string) => <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link> },
                    { title: t('项目名称', 'Title'), dataIndex: 'title' },
                    { title: t('灯', 'Light'), dataIndex: 'light', render: (light: 'red' | 'yellow') => <Tag color={light === 'red' ? 'error' : undefined} style={light === 'red' ? undefined : WARNING_TAG}>{light === 'red' ? t('红灯', 'Red') : t('黄灯', 'Yellow')}</Tag> },
                  ]}
                />
              </Space>
            )}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartPanel
            testId="panel-overdue"
            title={t('逾期事项', 'Overdue')}
            loading={overdue.loading}
            error={overdue.error}
            chart={() => {
              const rows = [...overdue.data!.deadlines.byKind.map((row) => ({ ...row, group: t('期限', 'deadline') })), ...overdue.data!.tasks.byKind.map((row) => ({ ...row, group: t('待办', 'task') }))];
              return rows.length ? (
                <EChart
                  label={t('逾期期限和待办数量柱状图', 'Overdue deadlines and tasks per kind')}
                  onClick={() => projects({ overdue: 'true' })}
                  option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 8, right: 16, bottom: 8, top: 16, containLabel: true },
                    xAxis: { type: 'value', minInterval: 1 },
                    yAxis: { type: 'category', data: rows.map((row) => `${pick(row.name)}（${row.group}）`) },
                    series: [{ type: 'bar', name: t('逾期', 'Overdue'), data: rows.map((row) => row.count), itemStyle: { color: '#c21f1f' } }],
                  }}
                />
              ) : (
                <Typography.Paragraph>{t('没有逾期的期限和待办。', 'Nothing is overdue.')}</Typography.Paragraph>
              );
            }}
            table={() => (
              <Table
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                rowKey={(row) => `${row.code}-${row.what}`}
                dataSource={[
                  ...overdue.data!.deadlines.oldest.map((row) => ({ code: row.code, what: pick(row.name), group: t('期限', 'Deadline'), dueDate: row.dueDate })),
                  ...overdue.data!.tasks.oldest.map((row) => ({ code: row.code, what: pick(row.name), group: t('待办', 'Task'), dueDate: row.dueDate })),
                ]}
                columns={[
                  { title: t('项目', 'Project'), dataIndex: 'code', render: (code: string) => <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link> },
                  { title: t('类别', 'Kind'), dataIndex: 'group' },
                  { title: t('事项', 'What'), dataIndex: 'what' },
                  { title: t('应完成日期', 'Due'), dataIndex: 'dueDate', render: (date: string) => formatBusinessDate(date) },
                ]}
              />
            )}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartPanel
            testId="panel-disbursement"
            title={t('拨付进度与时间进度', 'Disbursement against time')}
            loading={pace.loading}
            error={pace.error}
            chart={() => (
              <>
                <Typography.Paragraph>
                  {t(
                    `已拨付 ${pace.data!.total.disbursedPercent ?? 0}%（净拨付占净安排），时间进度 ${pace.data!.elapsedPercent}%（截至${formatBusinessDate(pace.data!.today)}）`,
                    `Disbursed ${pace.data!.total.disbursedPercent ?? 0}% of net commitments; ${pace.data!.elapsedPercent}% of the year elapsed`,
                  )}
                </Typography.Paragraph>
                <EChart
                  label={t('各支持事项拨付率与时间进度柱状图', 'Disbursement rate per item against elapsed time')}
                  onClick={(event) => projects({ item: (event.data as { item: number }).item })}
                  option={{
                    tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
                    grid: { left: 8, right: 24, bottom: 8, top: 16, containLabel: true },
                    xAxis: { type: 'category', data: pace.data!.items.filter((row) => row.netCommittedFen > 0).map((row) => itemName(row.item, lang)), axisLabel: { interval: 0, rotate: 30, width: 90, overflow: 'truncate' } },
                    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                    series: [
                      {
                        type: 'bar',
                        barMaxWidth: 48,
                        name: t('拨付率', 'Disbursed'),
                        data: pace.data!.items.filter((row) => row.netCommittedFen > 0).map((row) => ({ value: row.disbursedPercent ?? 0, item: row.item })),
                        markLine: { symbol: 'none', data: [{ yAxis: pace.data!.elapsedPercent, name: t('时间进度', 'Elapsed') }], label: { position: 'insideEndTop', formatter: t('时间进度 {c}%', 'elapsed {c}%') }, lineStyle: { color: '#c21f1f', type: 'dashed' } },
                      },
                    ],
                  }}
                />
              </>
            )}
            table={() => (
              <Table
                size="small"
                pagination={false}
                rowKey="item"
                dataSource={pace.data!.items.filter((row) => row.netCommittedFen > 0)}
                columns={[
                  { title: t('支持事项', 'Item'), dataIndex: 'item', render: (item: number) => <Link to={`/projects${queryOf({ item })}`}>{itemName(item, lang)}</Link> },
                  { title: t('净安排（元）', 'Net committed'), dataIndex: 'netCommittedFen', align: 'right', render: (fen: number) => formatFen(fen, '') },
                  { title: t('净拨付（元）', 'Net disbursed'), dataIndex: 'netDisbursedFen', align: 'right', render: (fen: number) => formatFen(fen, '') },
                  { title: t('拨付率', 'Rate'), dataIndex: 'disbursedPercent', align: 'right', render: (value: number | null) => (value === null ? '—' : `${value}%`) },
                  { title: t('时间进度', 'Elapsed'), key: 'elapsed', align: 'right', render: () => `${pace.data!.elapsedPercent}%` },
                ]}
              />
            )}
          />
        </Col>
      </Row>

      <ChartPanel
        testId="panel-month"
        title={month.data ? t(`本月（${month.data.month}）申报与决定`, `This month (${month.data.month})`) : t('本月申报与决定', 'This month')}
        loading={month.loading}
        error={month.error}
        chart={() => (
          <>
            <MonthNumbers data={month.data!} />
            {month.data!.byItem.length ? (
              <EChart
                label={t('本月各支持事项新申报、批准、未通过数量柱状图', 'This month per item')}
                onClick={(event) => projects({ item: (event.data as { item: number }).item })}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
                  xAxis: { type: 'category', data: month.data!.byItem.map((row) => itemName(row.item, lang)), axisLabel: { interval: 0, rotate: 30, width: 90, overflow: 'truncate' } },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [
                    { type: 'bar', barMaxWidth: 40, name: t('新申报', 'New'), data: month.data!.byItem.map((row) => ({ value: row.proposals, item: row.item })) },
                    { type: 'bar', barMaxWidth: 40, name: t('批准', 'Approved'), data: month.data!.byItem.map((row) => ({ value: row.approved, item: row.item })) },
                    { type: 'bar', barMaxWidth: 40, name: t('审核未通过', 'Rejected'), data: month.data!.byItem.map((row) => ({ value: row.rejected, item: row.item })) },
                  ],
                }}
              />
            ) : null}
          </>
        )}
        table={() => (
          <>
            <MonthNumbers data={month.data!} />
            <Table
              size="small"
              pagination={false}
              rowKey="item"
              dataSource={month.data!.byItem}
              columns={[
                { title: t('支持事项', 'Item'), dataIndex: 'item', render: (item: number) => <Link to={`/projects${queryOf({ item })}`}>{itemName(item, lang)}</Link> },
                { title: t('新申报', 'New'), dataIndex: 'proposals', align: 'right' },
                { title: t('批准', 'Approved'), dataIndex: 'approved', align: 'right' },
                { title: t('审核未通过', 'Rejected'), dataIndex: 'rejected', align: 'right' },
              ]}
            />
          </>
        )}
      />
    </Space>
  );
}

function Totals({ data }: { data: BalancesPanel }) {
  const { t } = useLang();
  const figures: [string, number, string][] = [
    [t('资金总额', 'Allocated'), data.totals.allocatedFen, 'allocated'],
    [t('已安排', 'Committed'), data.totals.committedFen, 'committed'],
    [t('已拨付', 'Disbursed'), data.totals.disbursedFen, 'disbursed'],
    [t('收回未拨付额度', 'Released'), data.totals.releasedFen, 'released'],
    [t('追回资金', 'Recovered'), data.totals.recoveredFen, 'recovered'],
    [t('可安排', 'Available'), data.totals.availableFen, 'available'],
  ];
  return (
    <Row gutter={[16, 8]} style={{ marginBottom: 12 }}>
      {figures.map(([label, fen, key]) => (
        <Col key={key} xs={12} md={8} xl={4}>
          <Statistic title={`${label}（元）`} value={formatFen(fen, '')} data-testid={`total-${key}`} valueStyle={{ fontSize: 18 }} />
        </Col>
      ))}
    </Row>
  );
}

function MonthNumbers({ data }: { data: MonthPanel }) {
  const { t } = useLang();
  return (
    <Row gutter={[16, 8]} style={{ marginBottom: 12 }}>
      {(
        [
          [t('新申报', 'New proposals'), data.proposals],
          [t('提交审核', 'Submitted'), data.submitted],
          [t('批准', 'Approved'), data.approved],
          [t('审核未通过', 'Rejected'), data.rejected],
          [t('退回修改', 'Returned'), data.returned],
        ] as [string, number][]
      ).map(([label, value]) => (
        <Col key={label} xs={12} md={4}>
          <Statistic title={label} value={value} valueStyle={{ fontSize: 18 }} />
        </Col>
      ))}
    </Row>
  );
}
