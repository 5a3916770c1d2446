import { Descriptions, Empty, Statistic, Table, Tag, Typography } from 'antd';
import { isAttachmentKind, type AttachmentKind } from '../../../src/domain/vocabulary.ts';
import { kindLabel } from './Attachments.tsx';
import type { Indicator } from '../../../machines/project.schemas.ts';
import type { EvaluationRecord } from '../../../machines/project.types.ts';
import type { HistoryEvent, ProjectView, Schedule } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { formatBeijing, formatBusinessDate, formatFen } from '../lib/format.ts';
import { channelName, COMPARATOR_NAMES, eventName, itemName, LEVEL_NAMES, reminderStatusName, roleName, stateName, taskKindName } from '../lib/labels.ts';
import type { MoneySummary } from '../lib/money.ts';

export function SummarySection({ project }: { project: ProjectView }) {
  const { lang, t } = useLang();
  const proposal = project.context.proposal;
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
      <Descriptions.Item label={t('项目编号', 'Code')}>{project.code}</Descriptions.Item>
      <Descriptions.Item label={t('当前状态', 'State')}>{stateName(project.state, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('支持事项', 'Item')}>{itemName(proposal.item, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('申请金额', 'Requested')}>{formatFen(proposal.requestedFen)}</Descriptions.Item>
      <Descriptions.Item label={t('实施期限', 'Period')}>
        {formatBusinessDate(proposal.periodStart)} — {formatBusinessDate(proposal.periodEnd)}
      </Descriptions.Item>
      <Descriptions.Item label={t('创建时间（北京时间）', 'Created (Beijing)')}>{formatBeijing(project.createdAt)}</Descriptions.Item>
      {project.context.correction ? (
        <Descriptions.Item label={t('整改要求', 'Correction')} span={2}>
          {project.context.correction.instructions}（{t('整改期限', 'due')} {formatBusinessDate(project.context.correction.dueDate)}）
        </Descriptions.Item>
      ) : null}
      {project.context.suspension ? (
        <Descriptions.Item label={t('暂缓原因', 'Suspended because')} span={2}>
          {project.context.suspension.reason}
        </Descriptions.Item>
      ) : null}
      {proposal.description ? (
        <Descriptions.Item label={t('项目内容', 'Description')} span={2}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{proposal.description}</span>
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

export function TargetsSection({ targets }: { targets: readonly Indicator[] }) {
  const { lang, t } = useLang();
  if (!targets.length) return <Empty description={t('尚未填写绩效目标', 'No targets yet')} />;
  return (
    <Table<Indicator>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={[...targets]}
      scroll={{ x: 640 }}
      columns={[
        { title: t('一级指标', 'Level'), dataIndex: 'level', render: (level: string) => LEVEL_NAMES[level]?.[lang] ?? level },
        { title: t('二级指标', 'Sub-level'), dataIndex: 'subLevel' },
        { title: t('三级指标', 'Indicator'), dataIndex: 'name' },
        {
          title: t('指标值', 'Target'),
          key: 'target',
          render: (_: unknown, row) =>
            row.comparator === 'qualitative' ? COMPARATOR_NAMES.qualitative![lang] : `${COMPARATOR_NAMES[row.comparator]?.[lang] ?? ''} ${row.targetValue ?? ''} ${row.unit}`,
        },
        { title: t('权重', 'Weight'), dataIndex: 'weight', align: 'right' },
      ]}
    />
  );
}

export function MoneySection({ money, fromLedger }: { money: MoneySummary; fromLedger: boolean }) {
  const { t } = useLang();
  const cells: [string, number][] = [
    [t('批准金额', 'Approved'), money.approvedFen],
    [t('已拨付', 'Disbursed'), money.disbursedFen],
    [t('额度收回', 'Released'), money.releasedFen],
    [t('追回资金', 'Recovered'), money.recoveredFen],
    [t('剩余可拨付额度', 'Commitment left'), money.remainingFen],
  ];
  return (
    <div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', gap: 12 }}>
        {cells.map(([label, fen]) => (
          <Statistic key={label} title={label} value={formatFen(fen, '')} suffix="元" valueStyle={{ fontSize: 18 }} />
        ))}
      </div>
      {fromLedger ? null : (
        <Typography.Text type="secondary">{t('（依据项目记录；资金台账明细由县财政局查看）', '(from the project record; the ledger is for staff)')}</Typography.Text>
      )}
    </div>
  );
}

const DEADLINE_NAMES: Record<string, { zh: string; en: string }> = {
  'inspection.regular': { zh: '定期检查', en: 'Regular inspection' },
  'inspection.unannounced': { zh: '不定期检查', en: 'Unannounced inspection' },
  correction: { zh: '整改期限', en: 'Correction' },
  evaluation: { zh: '绩效评价', en: 'Evaluation' },
  'finance.review': { zh: '县财政局审查', en: 'Finance review' },
  'progress.report': { zh: '进展报告', en: 'Progress report' },
};

/** "task.review" is the due date of an open task; the rest are the plan's own deadlines. */
export function deadlineName(deadline: string, lang: 'zh' | 'en'): string {
  if (deadline.startsWith('task.')) return `${taskKindName(deadline.slice(5), lang)}${lang === 'zh' ? '办理期限' : ' due'}`;
  return DEADLINE_NAMES[deadline]?.[lang] ?? (lang === 'zh' ? '其他期限' : 'Other deadline');
}

export function ScheduleSection({ schedule }: { schedule: Schedule | null }) {
  const { lang, t } = useLang();
  const rows = (schedule?.deadlines ?? []).flatMap((deadline) =>
    deadline.reminders.map((reminder) => ({ ...reminder, deadline: deadline.deadline, dueDate: deadline.dueDate })),
  );
  if (!rows.length) return <Empty description={t('暂无计划提醒', 'Nothing planned')} />;
  return (
    <Table
      size="small"
      rowKey="id"
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
      scroll={{ x: 600 }}
      columns={[
        { title: t('事项', 'Deadline'), dataIndex: 'deadline', render: (value: string) => deadlineName(value, lang) },
        { title: t('期限', 'Due'), dataIndex: 'dueDate', render: (value: string) => formatBusinessDate(value) },
        { title: t('提醒时间（北京时间）', 'Reminder (Beijing)'), dataIndex: 'at', render: (value: string) => formatBeijing(value) },
        { title: t('性质', 'Kind'), dataIndex: 'escalation', render: (value: boolean) => (value ? <Tag color="red">{t('督办', 'Escalation')}</Tag> : t('提醒', 'Reminder')) },
        { title: t('状态', 'Status'), dataIndex: 'status', render: (value: string) => reminderStatusName(value, lang) },
      ]}
    />
  );
}

/** The words of an event a person wrote: comment, reason, correction, findings. */
function noteOf(event: HistoryEvent): string | null {
  const payload = event.payload ?? {};
  const texts = [payload.comment, payload.reason, payload.correction, payload.text, payload.summary, event.reason].filter(
    (value): value is string => typeof value === 'string' && value.trim().length > 0,
  );
  return texts.length ? [...new Set(texts)].join('；') : null;
}

function detailOf(event: HistoryEvent, lang: 'zh' | 'en'): string | null {
  const payload = event.payload ?? {};
  if (event.type === 'DISBURSE' && typeof payload.amountFen === 'number') {
    return `${lang === 'zh' ? '拨付' : 'amount'} ${formatFen(payload.amountFen)}${payload.voucher ? `，${lang === 'zh' ? '凭证号' : 'voucher'} ${String(payload.voucher)}` : ''}`;
  }
  if (event.type === 'CONCLUDE_INSPECTION') {
    const outcome = { 'on-track': ['按计划推进', 'on track'], deviation: ['存在偏差，限期整改', 'deviation'], serious: ['偏离严重，暂缓执行', 'serious'] }[String(payload.outcome)];
    if (outcome) return `${lang === 'zh' ? outcome[0] : outcome[1]}${payload.dueDate ? `（${formatBusinessDate(String(payload.dueDate))}）` : ''}`;
  }
  if (event.type === 'RECORD_INSPECTION' && typeof payload.date === 'string') {
    return `${payload.kind === 'unannounced' ? (lang === 'zh' ? '不定期检查' : 'unannounced') : lang === 'zh' ? '定期检查' : 'regular'} ${formatBusinessDate(payload.date)}`;
  }
  if (event.type === 'ATTACH_FILE' && typeof payload.fileName === 'string' && isAttachmentKind(String(payload.kind))) {
    return `${kindLabel(payload.kind as AttachmentKind, lang)}${lang === 'zh' ? `“${payload.fileName}”` : ` "${payload.fileName}"`}`;
  }
  if (event.type === 'EXTEND_DEADLINE' && typeof payload.newDate === 'string') return `${lang === 'zh' ? '延至' : 'to'} ${formatBusinessDate(payload.newDate)}`;
  return null;
}

/** The dot's colour: refusals and stops red, returns orange, the rest blue. */
function historyTone(type: string): string {
  if (type === 'REJECT' || type === 'STOP' || type === 'SUSPEND') return 'history-red';
  return type === 'RETURN' ? 'history-orange' : '';
}

/**
 * The audit trail as a plain ordered list drawn like a timeline (app.css): a project page shows a
 * hundred events at once, and antd's Timeline (one Steps item each) cost about 4 ms an event there.
 */
export function HistorySection({ events }: { events: HistoryEvent[] }) {
  const { lang, t } = useLang();
  if (!events.length) return <Empty />;
  return (
    <ol className="history" aria-label={t('审计记录', 'Audit trail')}>
      {events.map((event) => {
        const note = noteOf(event);
        const detail = detailOf(event, lang);
        return (
          <li key={event.seq} className={historyTone(event.type)} data-testid="history-event" data-event={event.type}>
            <div>
              <strong>{eventName(event.type, lang)}</strong>
              <span className="history-time">
                {' · '}
                {formatBeijing(event.at)}
                {t('（北京时间）', ' (Beijing)')}
              </span>
            </div>
            <div className="history-who">
              {event.actor.name ?? t('系统', 'System')}（{roleName(event.actor.role, lang)}）{' · '}
              {t('渠道：', 'via ')}
              {channelName(event.channel, lang)}
              {event.from !== event.to && event.to ? ` · ${stateName(event.from, lang)} → ${stateName(event.to, lang)}` : ''}
            </div>
            {detail ? <div>{detail}</div> : null}
            {note ? <div style={{ whiteSpace: 'pre-wrap' }}>{t('意见：', 'Note: ')}{note}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}

export const REPORT_SECTIONS = ['基本情况', '评价工作开展情况', '综合评价结论', '绩效分析', '存在问题', '建议'] as const;

/** The latest evaluation: score table, grade and the report's six sections. */
export function EvaluationSection({ record, report }: { record: EvaluationRecord; report: Record<string, string> | null }) {
  const { lang, t } = useLang();
  return (
    <div data-testid="evaluation-view">
      <Typography.Paragraph>
        {record.kind === 're-evaluation' ? t('再评价', 'Re-evaluation') : t('绩效评价', 'Evaluation')}（{t('第', 'round ')}
        {record.round}
        {t('轮', '')}）：{t('总分', 'total')} <strong data-testid="evaluation-total">{record.totalScore.toFixed(2)}</strong>，{t('等级', 'grade')}{' '}
        <Tag color="blue" data-testid="evaluation-grade">
          {record.grade}
        </Tag>
        {formatBeijing(record.at)}
      </Typography.Paragraph>
      {record.indicators?.length ? (
        <Table
          size="small"
          rowKey="indicatorId"
          pagination={false}
          scroll={{ x: 640 }}
          dataSource={record.indicators}
          columns={[
            { title: t('一级指标', 'Level'), dataIndex: 'level', render: (level: string) => LEVEL_NAMES[level]?.[lang] ?? level },
            { title: t('指标', 'Indicator'), dataIndex: 'name' },
            { title: t('目标', 'Target'), key: 'target', render: (_: unknown, row) => (row.comparator === 'qualitative' ? t('定性', 'qualitative') : `${COMPARATOR_NAMES[row.comparator]?.[lang] ?? ''} ${row.targetValue ?? ''} ${row.unit}`) },
            { title: t('实际', 'Actual'), key: 'actual', render: (_: unknown, row) => (row.actual ?? (row.percent !== null ? `${row.percent}%` : '—')) },
            { title: t('分值', 'Weight'), dataIndex: 'weight', align: 'right' },
            { title: t('得分', 'Score'), dataIndex: 'score', align: 'right' },
          ]}
          summary={() =>
            record.budgetExecution ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t('预算执行', 'Budget execution')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} colSpan={3}>
                  {t('执行率', 'rate')} {record.budgetExecution.ratePercent ?? '—'}%
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">{record.budgetExecution.weight}</Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">{record.budgetExecution.score}</Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      ) : null}
      {report ? (
        <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }} title={t('评价报告', 'Report')}>
          {REPORT_SECTIONS.map((section) => (
            <Descriptions.Item key={section} label={section}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{report[section] ?? '—'}</span>
            </Descriptions.Item>
          ))}
        </Descriptions>
      ) : null}
    </div>
  );
}
