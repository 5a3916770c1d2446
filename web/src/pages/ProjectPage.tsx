import { Alert, Button, Card, Col, List, Result, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { loadHistory, loadLedger, loadProject, loadSchedule, resolveProjectId } from '../api/projects.ts';
import type { History, LedgerEntry, ProjectView, Schedule } from '../api/types.ts';
import { ActionPanel } from '../components/ActionPanel.tsx';
import { BudgetSection } from '../components/BudgetSection.tsx';
import { Attachments } from '../components/Attachments.tsx';
import { Loading } from '../components/Loading.tsx';
import { EvaluationSection, HistorySection, MoneySection, ScheduleSection, SummarySection, TargetsSection } from '../components/ProjectSections.tsx';
import { StateDiagram } from '../components/StateDiagram.tsx';
import { useLang } from '../i18n.tsx';
import { beijingDateOf, dueStatusOf, formatBusinessDate } from '../lib/format.ts';
import { stateName, taskKindName } from '../lib/labels.ts';
import { summarizeContext, summarizeLedger } from '../lib/money.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { useTasks } from '../tasks-context.tsx';

interface Loaded {
  project: ProjectView;
  history: History;
  schedule: Schedule | null;
  ledger: LedgerEntry[] | null;
}

/** A project's whole story: summary, state, targets, money, schedule, timeline, and what I may do now. */
export default function ProjectPage() {
  const { ref = '' } = useParams();
  const { lang, t } = useLang();
  const { tasks, reload: reloadTasks } = useTasks();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const id = await resolveProjectId(ref);
      if (!id) {
        setError(t('未找到该项目，或您无权查看', 'No such project, or not visible to you'));
        return;
      }
      const [project, history, schedule, ledger] = await Promise.all([loadProject(id), loadHistory(id), loadSchedule(id).catch(() => null), loadLedger(id)]);
      setLoaded({ project, history, schedule, ledger });
      setError(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('加载失败', 'Could not load'));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref]);

  useEffect(() => {
    setLoaded(null);
    void load();
  }, [load]);

  const money = useMemo(() => (loaded ? (loaded.ledger ? summarizeLedger(loaded.ledger) : summarizeContext(loaded.project.context)) : null), [loaded]);

  if (error) return <Result status="warning" title={error} extra={<Link to="/projects">{t('返回项目列表', 'Back to projects')}</Link>} />;
  if (!loaded || !money) return <Loading />;
  const { project, history, schedule } = loaded;
  const myTasks = (tasks ?? []).filter((task) => task.projectId === project.id);
  const today = beijingDateOf(new Date());
  const evaluation = project.context.evaluations.at(-1);
  const report = evaluation
    ? ((history.events.filter((event) => event.type === 'SUBMIT_EVALUATION').at(-1)?.payload?.report as Record<string, string> | undefined) ?? null)
    : null;
  const lastReturn = project.state === 'proposed.draft' ? history.events.filter((event) => event.type === 'RETURN').at(-1) : undefined;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {project.code} {project.title}
        </Typography.Title>
        <Tag color="blue" data-testid="project-state">
          {stateName(project.state, lang)}
        </Tag>
      </Space>
      {lastReturn ? (
        <Alert
          type="warning"
          showIcon
          message={t('申报已被退回修改', 'The proposal was returned for revision')}
          description={`${lastReturn.actor.name ?? ''}：${String(lastReturn.payload?.comment ?? lastReturn.reason ?? '')}`}
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Card size="small" title={<h3 style={sectionTitle}>{t('项目概况', 'Summary')}</h3>}>
              <SummarySection project={project} />
            </Card>
            <Card size="small" title={<h3 style={sectionTitle}>{t('项目状态', 'State')}</h3>}>
              <StateDiagram state={project.state} />
            </Card>
            <Card size="small" title={<h3 style={sectionTitle}>{t('资金情况', 'Money')}</h3>}>
              <MoneySection money={money} fromLedger={loaded.ledger !== null} />
            </Card>
            <Card size="small" title={<h3 style={sectionTitle}>{t('预算明细', 'Budget lines')}</h3>}>
              <BudgetSection proposal={project.context.proposal} />
            </Card>
            <Attachments project={project} onChanged={() => void load()} />
            <Card size="small" title={<h3 style={sectionTitle}>{t('绩效目标', 'Targets')}</h3>}>
              <TargetsSection targets={project.context.proposal.targets} />
            </Card>
            {evaluation ? (
              <Card size="small" title={<h3 style={sectionTitle}>{t('绩效评价', 'Evaluation')}</h3>}>
                <EvaluationSection record={evaluation} report={report} />
              </Card>
            ) : null}
            <Card size="small" title={<h3 style={sectionTitle}>{t('提醒计划', 'Schedule')}</h3>}>
              <ScheduleSection schedule={schedule} />
            </Card>
            <Card size="small" title={<h3 style={sectionTitle}>{t(`办理记录（${history.events.length} 条）`, `History (${history.events.length})`)}</h3>}>
              <HistorySection events={history.events} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" size="middle" style={{ width: '100%', position: 'sticky', top: 16 }}>
            <Card size="small" title={<h3 style={sectionTitle}>{t('可办理的操作', 'Actions')}</h3>} data-testid="action-panel">
              <ActionPanel
                project={project}
                money={money}
                onChanged={() => {
                  void load();
                  void reloadTasks();
                }}
              />
            </Card>
            <Card size="small" title={<h3 style={sectionTitle}>{t('我在本项目的待办', 'My open tasks here')}</h3>}>
              <List
                size="small"
                dataSource={myTasks}
                locale={{ emptyText: t('无', 'None') }}
                renderItem={(task) => (
                  <List.Item key={task.id}>
                    {taskKindName(task.kind, lang)} · {t('到期', 'due')} {formatBusinessDate(task.dueDate)}{' '}
                    {dueStatusOf(task.dueDate, today) === 'overdue' ? <Tag color="red">{t('已逾期', 'overdue')}</Tag> : null}
                  </List.Item>
                )}
              />
            </Card>
            <Button onClick={() => void load()}>{t('刷新', 'Reload')}</Button>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

const sectionTitle = { fontSize: 16, margin: 0 } as const;
