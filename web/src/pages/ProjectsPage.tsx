import { Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import type { ProjectPage, ProjectSummary } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { formatBeijing, formatFen } from '../lib/format.ts';
import { itemGroups, itemName, STATE_NAMES, stateName } from '../lib/labels.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { useSession } from '../session.tsx';

const FILTER_STATES = Object.keys(STATE_NAMES);

/** 项目: every project I may read, newest first, filtered by state and item, paged by the API's cursor. */
export default function ProjectsPage() {
  const { lang, t } = useLang();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? undefined;
  const item = params.get('item') ? Number(params.get('item')) : undefined;
  const q = params.get('q') ?? '';
  const [rows, setRows] = useState<ProjectSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  async function load(after: string | null) {
    setLoading(true);
    try {
      const page = await unwrap<ProjectPage>(
        api.GET('/api/v1/projects', { params: { query: { limit: 100, ...(state ? { state } : {}), ...(item ? { item } : {}), ...(after ? { cursor: after } : {}) } } }),
      );
      setRows((before) => (after ? [...before, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('加载失败', 'Could not load'));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state, item]);

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return needle ? rows.filter((row) => row.code.toLowerCase().includes(needle) || row.title.toLowerCase().includes(needle)) : rows;
  }, [rows, q]);

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<ProjectSummary> = [
    { title: t('项目编号', 'Code'), dataIndex: 'code', width: 170, render: (code: string) => <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link> },
    { title: t('项目名称', 'Title'), dataIndex: 'title' },
    { title: t('支持事项', 'Item'), dataIndex: ['item', 'id'], width: 220, render: (id: number) => itemName(id, lang) },
    { title: t('状态', 'State'), dataIndex: 'state', width: 170, render: (value: string) => <Tag color={value.startsWith('suspended') ? 'red' : undefined}>{stateName(value, lang)}</Tag> },
    { title: t('申请金额', 'Requested'), dataIndex: 'requestedFen', width: 170, align: 'right', render: (fen: number) => formatFen(fen) },
    { title: t('更新时间（北京时间）', 'Updated (Beijing)'), dataIndex: 'updatedAt', width: 170, render: (at: string) => formatBeijing(at) },
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
          value={state}
          onChange={(value?: string) => setFilter('state', value)}
          options={FILTER_STATES.map((value) => ({ value, label: stateName(value, lang) }))}
        />
        <Select
          aria-label={t('按支持事项筛选', 'Filter by item')}
          allowClear
          placeholder={t('全部支持事项', 'All items')}
          style={{ minWidth: 260 }}
          value={item}
          onChange={(value?: number) => setFilter('item', value ? String(value) : undefined)}
          options={itemGroups(lang)}
        />
        <Input.Search
          aria-label={t('按项目编号或名称搜索', 'Search by code or title')}
          placeholder={t('项目编号或名称', 'Code or title')}
          allowClear
          defaultValue={q}
          onSearch={(value) => setFilter('q', value.trim() || undefined)}
          style={{ width: 260 }}
        />
      </Space>
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      <Table<ProjectSummary>
        rowKey="id"
        columns={columns}
        dataSource={shown}
        loading={loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1000 }}
      />
      {cursor ? (
        <Button onClick={() => void load(cursor)} loading={loading}>
          {t('加载更多', 'Load more')}
        </Button>
      ) : null}
    </Space>
  );
}
