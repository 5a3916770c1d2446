import { Button, Card, Empty, Grid, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Task } from '../api/types.ts';
import { DecisionModal } from '../components/DecisionModal.tsx';
import { Loading } from '../components/Loading.tsx';
import { useLang } from '../i18n.tsx';
import { decisionLabel, decisionsFor, type Decision } from '../lib/decisions.ts';
import { beijingDateOf, daysUntil, dueStatusOf, formatBusinessDate } from '../lib/format.ts';
import { TASK_KIND_NAMES, taskKindName } from '../lib/labels.ts';
import { countByDue, filterTasks, sortByDue } from '../lib/tasks.ts';
import { useTasks } from '../tasks-context.tsx';

/** 我的待办: my open tasks by due date; overdue in red, due today highlighted; decide without leaving. */
export default function InboxPage() {
  const { lang, t } = useLang();
  const { tasks, reload } = useTasks();
  const [params, setParams] = useSearchParams();
  const [deciding, setDeciding] = useState<{ task: Task; decision: Decision } | null>(null);
  const screens = Grid.useBreakpoint();
  const today = beijingDateOf(new Date());
  const kind = params.get('kind') ?? undefined;
  const project = params.get('q') ?? '';

  const shown = useMemo(() => sortByDue(filterTasks(tasks ?? [], { kind, project })), [tasks, kind, project]);
  const dueCounts = useMemo(() => countByDue(tasks ?? [], today), [tasks, today]);
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
    <Space wrap size={4}>
      {decisionsFor(task.kind).map((decision) => (
        <Button key={decision} size="small" type={decision === 'approve' ? 'primary' : 'default'} danger={decision === 'reject'} onClick={() => setDeciding({ task, decision })}>
          {decisionLabel(task.kind, decision, lang)}
        </Button>
      ))}
      <Link to={`/projects/${encodeURIComponent(task.projectCode)}`}>{decisionsFor(task.kind).length ? t('查看项目', 'Open') : t('去办理', 'Handle')}</Link>
    </Space>
  );

  const columns: ColumnsType<Task> = [
    {
      title: t('到期日', 'Due'),
      dataIndex: 'dueDate',
      width: 200,
      render: (_: unknown, task) => (
        <Space direction="vertical" size={0}>
          <span style={{ color: dueStatusOf(task.dueDate, today) === 'overdue' ? '#a8071a' : undefined, fontWeight: dueStatusOf(task.dueDate, today) === 'upcoming' ? undefined : 600 }}>
            {formatBusinessDate(task.dueDate)}
          </span>
          {dueText(task)}
        </Space>
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
      <Typography.Text>
        {t(
          `共 ${tasks.length} 项，其中已逾期 ${dueCounts.overdue} 项，今日到期 ${dueCounts.today} 项`,
          `${tasks.length} open, ${dueCounts.overdue} overdue, ${dueCounts.today} due today`,
        )}
      </Typography.Text>
      <Space wrap>
        <Select
          aria-label={t('按事项筛选', 'Filter by kind')}
          allowClear
          placeholder={t('全部事项', 'All kinds')}
          style={{ minWidth: 180 }}
          value={kind}
          onChange={(value?: string) => setFilter('kind', value)}
          options={Object.keys(TASK_KIND_NAMES).map((value) => ({ value, label: taskKindName(value, lang) }))}
        />
        <Input.Search
          aria-label={t('按项目编号或名称筛选', 'Filter by project code or title')}
          placeholder={t('项目编号或名称', 'Project code or title')}
          allowClear
          defaultValue={project}
          onSearch={(value) => setFilter('q', value.trim() || undefined)}
          style={{ width: 260 }}
        />
      </Space>
      {screens.md === false ? (
        <List
          dataSource={shown}
          locale={{ emptyText: <Empty description={t('暂无待办', 'Nothing to do')} /> }}
          pagination={shown.length > 20 ? { pageSize: 20, size: 'small' } : false}
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
          dataSource={shown}
          rowClassName={rowClass}
          locale={{ emptyText: <Empty description={t('暂无待办', 'Nothing to do')} /> }}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t(`共 ${total} 项`, `${total} tasks`) }}
        />
      )}
      {deciding ? (
        <DecisionModal
          task={deciding.task}
          decision={deciding.decision}
          onClose={(done) => {
            setDeciding(null);
            if (done) void reload();
          }}
        />
      ) : null}
    </Space>
  );
}
