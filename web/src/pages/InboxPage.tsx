import { Button, Card, Empty, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import type { Task, TaskPage } from '../api/types.ts';
import { Loading } from '../components/Loading.tsx';
import { RowButton } from '../components/RowButton.tsx';
import { useLang } from '../i18n.tsx';
import { decisionLabel, decisionsFor, type Decision } from '../lib/decisions.ts';
import { beijingDateOf, daysUntil, dueStatusOf, formatBusinessDate } from '../lib/format.ts';
import { itemGroups, TASK_KIND_NAMES, taskKindName } from '../lib/labels.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { appendPage, INBOX_PAGE_SIZE, taskFilterOf, taskQueryOf } from '../lib/tasks.ts';
import { useTasks } from '../tasks-context.tsx';
import { takeOpeningInbox } from '../boot/first-screen.ts';
import { useWideScreen } from '../lib/use-wide-screen.ts';

// The decision dialog (with its date field) loads when a decision is first asked for, not with the inbox.
const DecisionModal = lazy(() => import('../components/DecisionModal.tsx').then((module) => ({ default: module.DecisionModal })));

/**
 * 我的待办: my open tasks by due date (the server sorts, filters and pages them; "load more" asks
 * for the next page); overdue in red, due today highlighted; decide without leaving.
 */
export default function InboxPage() {
  const { lang, t } = useLang();
  const { counts, reload, generation } = useTasks();
  const [params, setParams] = useSearchParams();
  const [deciding, setDeciding] = useState<{ task: Task; decision: Decision } | null>(null);
  // Opened on the inbox, its first page came with the app (boot/first-screen.ts): shown in the first render.
  const [opening] = useState(() => takeOpeningInbox(taskFilterOf(params)));
  const [tasks, setTasks] = useState<Task[] | null>(opening?.items ?? null);
  const [cursor, setCursor] = useState<string | null>(opening?.nextCursor ?? null);
  const openedWith = useRef(opening ? JSON.stringify(taskFilterOf(params)) : null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wide = useWideScreen();
  const today = counts?.today ?? beijingDateOf(new Date());
  const filter = useMemo(() => taskFilterOf(params), [params]);
  const filterKey = JSON.stringify(filter);
  // Only the answer to the latest request is shown (a slow first page must not overwrite a newer filter's).
  const latest = useRef(0);

  async function load(after: string | null) {
    const request = ++latest.current;
    setLoading(true);
    try {
      const page = await unwrap<TaskPage>(api.GET('/api/v1/tasks', { params: { query: taskQueryOf(filter, after, INBOX_PAGE_SIZE) } }));
      if (request !== latest.current) return;
      setTasks((shown) => (after && shown ? appendPage(shown, page.items) : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      if (request !== latest.current) return;
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('待办加载失败', 'Could not load tasks'));
      setTasks((shown) => shown ?? []);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }

  useEffect(() => {
    if (openedWith.current === filterKey && generation === 0) return; // the opening page is this one
    openedWith.current = null;
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filterKey, generation]);

  if (tasks === null) return <Loading />;

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const dueText = (task: Task) => {
    const status = dueStatusOf(task.dueDate, today);
    const days = daysUntil(task.dueDate, today);
    if (status === 'overdue') return <Tag color="red">{t(`已逾期 ${-days} 天`, `${-days} d overdue`)}</Tag>;
    if (status === 'today') return <Tag color="gold">{t('今日到期', 'Due today')}</Tag>;
    return <Tag>{t(`${days} 天后到期`, `in ${days} d`)}</Tag>;
  };

  const actions = (task: Task) => (
    <div className="row-actions">
      {decisionsFor(task.kind).map((decision) => (
        <RowButton key={decision} tone={decision === 'approve' ? 'primary' : decision === 'reject' ? 'danger' : 'default'} onClick={() => setDeciding({ task, decision })}>
          {decisionLabel(task.kind, decision, lang)}
        </RowButton>
      ))}
      <Link to={`/projects/${encodeURIComponent(task.projectCode)}`}>{decisionsFor(task.kind).length ? t('查看项目', 'Open') : t('去办理', 'Handle')}</Link>
    </div>
  );

  const columns: ColumnsType<Task> = [
    {
      title: t('到期日', 'Due'),
      dataIndex: 'dueDate',
      width: 200,
      render: (_: unknown, task) => (
        <div className="due-cell">
          <span style={{ color: dueStatusOf(task.dueDate, today) === 'overdue' ? '#a8071a' : undefined, fontWeight: dueStatusOf(task.dueDate, today) === 'upcoming' ? undefined : 600 }}>
            {formatBusinessDate(task.dueDate)}
          </span>
          {dueText(task)}
        </div>
      ),
    },
    { title: t('事项', 'Task'), dataIndex: 'kind', width: 140, render: (value: string) => taskKindName(value, lang) },
    {
      title: t('项目', 'Project'),
      dataIndex: 'projectCode',
      render: (_: unknown, task) => (
        <Link to={`/projects/${encodeURIComponent(task.projectCode)}`}>
          {task.projectCode} {task.projectTitle}
        </Link>
      ),
    },
    { title: t('办理', 'Action'), key: 'actions', width: 300, render: (_: unknown, task) => actions(task) },
  ];

  const rowClass = (task: Task) => {
    const status = dueStatusOf(task.dueDate, today);
    return status === 'overdue' ? 'task-overdue' : status === 'today' ? 'task-today' : '';
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        {t('我的待办', 'My tasks')}
      </Typography.Title>
      {counts ? (
        <Typography.Text data-testid="inbox-summary">
          {t(
            `共 ${counts.open} 项，其中已逾期 ${counts.overdue} 项，今日到期 ${counts.dueToday} 项`,
            `${counts.open} open, ${counts.overdue} overdue, ${counts.dueToday} due today`,
          )}
        </Typography.Text>
      ) : null}
      <Space wrap>
        <Select
          aria-label={t('按事项筛选', 'Filter by kind')}
          allowClear
          placeholder={t('全部事项', 'All kinds')}
          style={{ minWidth: 180 }}
          value={filter.kind}
          onChange={(value?: string) => setFilter('kind', value)}
          options={Object.keys(TASK_KIND_NAMES).map((value) => ({ value, label: taskKindName(value, lang) }))}
        />
        <Select
          aria-label={t('按支持事项筛选', 'Filter by item')}
          allowClear
          placeholder={t('全部支持事项', 'All items')}
          style={{ minWidth: 260 }}
          value={filter.item}
          onChange={(value?: number) => setFilter('item', value ? String(value) : undefined)}
          options={itemGroups(lang)}
        />
        <Input.Search
          aria-label={t('按项目编号或名称筛选', 'Filter by project code or title')}
          placeholder={t('项目编号或名称', 'Project code or title')}
          allowClear
          defaultValue={filter.project ?? ''}
          onSearch={(value) => setFilter('q', value.trim() || undefined)}
          style={{ width: 260 }}
        />
      </Space>
      {!wide ? (
        <List
          dataSource={tasks}
          loading={loading}
          locale={{ emptyText: <Empty description={t('暂无待办', 'Nothing to do')} /> }}
          renderItem={(task) => (
            <List.Item key={task.id} style={{ padding: 0, border: 0, marginBottom: 8 }}>
              <Card size="small" style={{ width: '100%' }} className={rowClass(task)}>
                <Space direction="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap>
                    <strong>{taskKindName(task.kind, lang)}</strong>
                    {dueText(task)}
                  </Space>
                  <Link to={`/projects/${encodeURIComponent(task.projectCode)}`}>
                    {task.projectCode} {task.projectTitle}
                  </Link>
                  <span>
                    {t('到期日：', 'Due: ')}
                    {formatBusinessDate(task.dueDate)}
                  </span>
                  {actions(task)}
                </Space>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<Task>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tasks}
          loading={loading}
          rowClassName={rowClass}
          locale={{ emptyText: <Empty description={t('暂无待办', 'Nothing to do')} /> }}
          pagination={false}
        />
      )}
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      <Space>
        <Typography.Text type="secondary" data-testid="inbox-shown">
          {t(`已显示 ${tasks.length} 项`, `${tasks.length} shown`)}
        </Typography.Text>
        {cursor ? (
          <Button onClick={() => void load(cursor)} loading={loading}>
            {t('加载更多', 'Load more')}
          </Button>
        ) : null}
      </Space>
      {deciding ? (
        <Suspense fallback={null}>
          <DecisionModal
            task={deciding.task}
            decision={deciding.decision}
            onClose={(done) => {
              setDeciding(null);
              if (done) void reload();
            }}
          />
        </Suspense>
      ) : null}
    </Space>
  );
}
