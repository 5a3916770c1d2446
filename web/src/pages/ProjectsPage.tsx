import { Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { appendPage } from '../lib/paging.ts';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import type { ProjectListItem, ProjectPage } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { formatBeijing, formatFen } from '../lib/format.ts';
import { itemGroups, itemName, STATE_NAMES, stateName } from '../lib/labels.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { projectFilterOf, projectFilterParams, projectQueryOf, type ProjectFilter } from '../lib/project-filters.ts';
import { useSession } from '../session.tsx';

const FILTER_STATES = Object.keys(STATE_NAMES);
const PAGE_SIZE = 50;
const LIGHT_NAMES = { green: ['绿灯', 'Green'], yellow: ['黄灯', 'Yellow'], red: ['红灯', 'Red'] } as const;
const LIGHT_COLORS = { green: 'green', yellow: 'gold', red: 'red' } as const;

/**
 * 项目: every project I may read, newest first. The server filters (state, item, organisation,
 * overdue, 双监控 light, code or title) and pages them; the filters live in the URL so a filtered
 * list can be linked.
 */
export default function ProjectsPage() {
  const { lang, t } = useLang();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => projectFilterOf(params), [params]);
  const filterKey = projectFilterParams(filter).toString();
  const [rows, setRows] = useState<ProjectListItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [organisations, setOrganisations] = useState<{ id: string; name: string; projects: number }[]>([]);
  const latest = useRef(0);

  async function load(after: string | null) {
    const request = ++latest.current;
    setLoading(true);
    try {
      const page = await unwrap<ProjectPage>(api.GET('/api/v1/projects', { params: { query: projectQueryOf(filter, after, PAGE_SIZE) } }));
      if (request !== latest.current) return;
      setRows((before) => (after ? appendPage(before, page.items) : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      if (request !== latest.current) return;
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('加载失败', 'Could not load'));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filterKey]);

  useEffect(() => {
    if (user.role === 'applicant') return;
    unwrap<{ items: { id: string; name: string; projects: number }[] }>(api.GET('/api/v1/organisations'))
      .then((answer) => setOrganisations(answer.items))
      .catch(() => setOrganisations([]));
  }, [user.role]);

  const setFilter = (change: Partial<ProjectFilter>) => {
    setParams(projectFilterParams({ ...filter, ...change }), { replace: true });
  };

  const columns: ColumnsType<ProjectListItem> = [
    { title: t('项目编号', 'Code'), dataIndex: 'code', width: 150, render: (code: string) => <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link> },
    { title: t('项目名称', 'Title'), dataIndex: 'title' },
    { title: t('支持事项', 'Item'), dataIndex: ['item', 'id'], width: 170, render: (id: number) => itemName(id, lang) },
    {
      title: t('状态', 'State'),
      dataIndex: 'state',
      width: 150,
      render: (value: string, row) => (
        <Space size={4} wrap>
          <Tag color={value.startsWith('suspended') ? 'red' : undefined}>{stateName(value, lang)}</Tag>
          {row.overdue ? <Tag color="red">{t('有逾期', 'Overdue')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('双监控', 'Monitoring'),
      dataIndex: 'light',
      width: 80,
      render: (light: ProjectListItem['light']) => (light ? <Tag color={LIGHT_COLORS[light]}>{LIGHT_NAMES[light][lang === 'zh' ? 0 : 1]}</Tag> : '—'),
    },
    { title: t('申请金额', 'Requested'), dataIndex: 'requestedFen', width: 140, align: 'right', render: (fen: number) => formatFen(fen) },
    { title: t('更新时间（北京时间）', 'Updated (Beijing)'), dataIndex: 'updatedAt', width: 150, render: (at: string) => formatBeijing(at) },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('项目', 'Projects')}
        </Typography.Title>
        {user.role === 'applicant' ? (
          <Link to="/proposals/new">
            <Button type="primary" tabIndex={-1}>
              {t('新建申报', 'New proposal')}
            </Button>
          </Link>
        ) : null}
      </Space>
      <Space wrap>
        <Select
          aria-label={t('按状态筛选', 'Filter by state')}
          allowClear
          placeholder={t('全部状态', 'All states')}
          style={{ minWidth: 200 }}
          value={filter.state}
          onChange={(value?: string) => setFilter({ state: value })}
          options={FILTER_STATES.map((value) => ({ value, label: stateName(value, lang) }))}
        />
        <Select
          aria-label={t('按支持事项筛选', 'Filter by item')}
          allowClear
          placeholder={t('全部支持事项', 'All items')}
          style={{ minWidth: 260 }}
          value={filter.item}
          onChange={(value?: number) => setFilter({ item: value })}
          options={itemGroups(lang)}
        />
        {user.role !== 'applicant' ? (
          <Select
            aria-label={t('按项目单位筛选', 'Filter by organisation')}
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('全部项目单位', 'All organisations')}
            style={{ minWidth: 240 }}
            value={filter.orgId}
            onChange={(value?: string) => setFilter({ orgId: value })}
            options={organisations.map((org) => ({ value: org.id, label: `${org.name}（${org.projects}）` }))}
          />
        ) : null}
        <Select
          aria-label={t('按是否逾期筛选', 'Filter by overdue')}
          allowClear
          placeholder={t('逾期情况', 'Overdue or not')}
          style={{ minWidth: 140 }}
          value={filter.overdue === undefined ? undefined : String(filter.overdue)}
          onChange={(value?: string) => setFilter({ overdue: value === undefined ? undefined : value === 'true' })}
          options={[
            { value: 'true', label: t('有逾期事项', 'Overdue') },
            { value: 'false', label: t('无逾期事项', 'Not overdue') },
          ]}
        />
        <Select
          aria-label={t('按双监控预警灯筛选', 'Filter by monitoring light')}
          allowClear
          placeholder={t('双监控预警', 'Monitoring light')}
          style={{ minWidth: 150 }}
          value={filter.light}
          onChange={(value?: ProjectFilter['light']) => setFilter({ light: value })}
          options={(['red', 'yellow', 'green'] as const).map((value) => ({ value, label: LIGHT_NAMES[value][lang === 'zh' ? 0 : 1] }))}
        />
        <Input.Search
          aria-label={t('按项目编号或名称搜索', 'Search by code or title')}
          placeholder={t('项目编号或名称', 'Code or title')}
          allowClear
          key={filter.q ?? ''}
          defaultValue={filter.q ?? ''}
          onSearch={(value) => setFilter({ q: value.trim() || undefined })}
          style={{ width: 260 }}
        />
      </Space>
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      <Table<ProjectListItem> rowKey="id" columns={columns} dataSource={rows} loading={loading} pagination={false} scroll={{ x: 1000 }} />
      <Space>
        <Typography.Text type="secondary" data-testid="projects-shown">
          {t(`已显示 ${rows.length} 个项目`, `${rows.length} shown`)}
        </Typography.Text>
        {cursor ? (
          <Button onClick={() => void load(cursor)} loading={loading}>
            {t('加载更多', 'Load more')}
          </Button>
        ) : null}
      </Space>
    </Space>
  );
}
