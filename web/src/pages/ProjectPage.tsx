import { Alert, Button, Card, Col, Result, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { loadHistory, loadLedger, loadProjectByRef, loadProjectTasks, loadSchedule } from '../api/projects.ts';
import type { ProjectView } from '../api/types.ts';
import { ActionPanel } from '../components/ActionPanel.tsx';
import { BudgetSection } from '../components/BudgetSection.tsx';
import { Attachments } from '../components/Attachments.tsx';
import { Loading } from '../components/Loading.tsx';
import { EvaluationSection, HistorySection, MoneySection, ScheduleSection, SummarySection, TargetsSection } from '../components/ProjectSections.tsx';
import { StateDiagram } from '../components/StateDiagram.tsx';
import { useLang } from '../i18n.tsx';
import { beijingDateOf, dueStatusOf, formatBusinessDate } from '../lib/format.ts';
import { roleName, stateName, taskKindName } from '../lib/labels.ts';
import { summarizeContext, summarizeLedger } from '../lib/money.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { useSession } from '../session.tsx';
import { useTasks } from '../tasks-context.tsx';
import { takeOpeningProject, type OpeningProject } from '../boot/first-screen.ts';

type Loaded = OpeningProject;

/** A project's whole story: summary, state, targets, money, schedule, timeline, and what I may do now. */
export default function ProjectPage() {
  const { ref = '' } = useParams();
  const { lang, t } = useLang();
  const { user } = useSession();
  const { reload: reloadTasks } = useTasks();
  // Opened on this project, its data came with the app (boot/first-screen.ts): shown in the first render.
  const [opening] = useState(() => takeOpeningProject(ref));
  const [loaded, setLoaded] = useState<Loaded | null>(opening);
  const openedWith = useRef(opening ? ref : null);
  const [error, setError] = useState<string | null>(null);
  const [wholeHistory, setWholeHistory] = useState(false);

  const load = useCallback(async () => {
    try {
      const project = await loadProjectByRef(ref);
      const id = project.id;
      const [history, schedule, ledger, tasks] = await Promise.all([loadHistory(id), loadSchedule(id).catch(() => null), loadLedger(id), loadProjectTasks(id).catch(() => null)]);
      setLoaded({ project, history, schedule, ledger, tasks });
      setError(null);
    } catch (failure) {
      if (failure instanceof ApiError && (failure.problem.status === 404 || failure.problem.status === 400)) {
        setError(t('未找到该项目，或您无权查看', 'No such project, or not visible to you'));
        return;
      }
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('加载失败', 'Could not load'));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref]);

  useEffect(() => {
    if (openedWith.current === ref) return;
    openedWith.current = null;
    setLoaded(null);
    setWholeHistory(false);
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load]);

  const money = useMemo(() => (loaded ? (loaded.ledger ? summarizeLedger(loaded.ledger) : summarizeContext(loaded.project.context)) : null), [loaded]);

  if (error) return <Result status="warning" title={error} extra={<Link to="/projects">{t('返回项目列表', 'Back to projects')}</Link>} />;
  if (!loaded || !money) return <Loading />;
  const { project, history, schedule } = loaded;
  const openTasks = loaded.tasks?.items ?? [];
  // A long trail (hundreds of events) shows its latest part first, so the page is usable at once.
  const shownHistory = wholeHistory ? history.events : history.events.slice(-HISTORY_FIRST_SHOWN);
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
              {history.events.length > shownHistory.length ? (
                <Space style={{ marginBottom: 12 }} wrap>
                  <Typography.Text type="secondary">
                    {t(`显示最近 ${shownHistory.length} 条`, `The latest ${shownHistory.length} shown`)}
                  </Typography.Text>
                  <Button size="small" onClick={() => setWholeHistory(true)}>
                    {t(`显示全部 ${history.events.length} 条`, `Show all ${history.events.length}`)}
                  </Button>
                </Space>
              ) : null}
              <HistorySection events={shownHistory} />
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
            <Card size="small" title={<h3 style={sectionTitle}>{t('待办事项及办理人', 'Open tasks and who holds them')}</h3>} data-testid="project-tasks">
              {openTasks.length === 0 ? (
                <Typography.Text type="secondary">{t('当前没有待办事项', 'No open tasks')}</Typography.Text>
              ) : (
                <ul className="holder-list">
                  {openTasks.map((task) => {
                    const mine = task.holders.some((holder) => holder.userId === user.id);
                    const names = task.holders.map((holder) => holder.name).join('、');
                    const more = task.holderCount > task.holders.length ? t(` 等 ${task.holderCount} 人`, ` and ${task.holderCount - task.holders.length} more`) : '';
                    return (
                      <li key={task.id}>
                        <div>
                          <strong>{taskKindName(task.kind, lang)}</strong>
                          {mine ? <span className="flag flag-blue">{t('我的待办', 'mine')}</span> : null}
                          {task.overdue ? (
                            <span className="flag flag-red">{t('已逾期', 'overdue')}</span>
                          ) : dueStatusOf(task.dueDate, today) === 'today' ? (
                            <span className="flag flag-gold">{t('今日到期', 'due today')}</span>
                          ) : null}
                        </div>
                        <div>
                          {t('到期日：', 'Due: ')}
                          {formatBusinessDate(task.dueDate)}
                        </div>
                        <div>
                          {t('办理单位：', 'Body: ')}
                          {task.orgName ?? roleName(task.role, lang)}
                        </div>
                        {names ? (
                          <div>
                            {t('办理人：', 'Held by: ')}
                            {names}
                            {more}
                          </div>
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              )}
            </Card>
            <Button onClick={() => void load()}>{t('刷新', 'Reload')}</Button>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

const sectionTitle = { fontSize: 16, margin: 0 } as const;
const HISTORY_FIRST_SHOWN = 100;
