import { App, Button, Form, Input, Modal, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { request } from '../api/client.ts';
import { queryOf, type Alert } from '../api/county.ts';
import { useLang } from '../i18n.tsx';
import { formatBeijing } from '../lib/format.ts';
import { itemGroups } from '../lib/labels.ts';
import { WARNING_TAG } from '../lib/tag-styles.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';

/** New alerts appear without a reload: the list is fetched again this often. */
const POLL_MS = 30_000;

const KIND_OPTIONS: { value: string; zh: string; en: string }[] = [
  { value: 'overdue', zh: '逾期', en: 'Overdue' },
  { value: 'deviation', zh: '双监控预警', en: 'Dual monitoring' },
  { value: 'fund.exhausted', zh: '奖励资金已全部安排', en: 'Fund fully committed' },
  { value: 'task.links-expired', zh: '待办邮件链接已过期', en: 'Task links expired' },
  { value: 'reminder.failed', zh: '提醒邮件发送失败', en: 'Reminder failed' },
  { value: 'reminder.no-recipient', zh: '提醒无接收人', en: 'Reminder had no recipient' },
  { value: 'delivery.given-up', zh: '邮件发送中断', en: 'Delivery given up' },
  { value: 'effects.behind', zh: '后台处理积压', en: 'Background work behind' },
  { value: 'effect.forged', zh: '来历不明的后台任务', en: 'Unknown background job' },
];

/** The message in the reader's language: the service writes "中文 / English". */
function messageIn(message: string, lang: 'zh' | 'en'): string {
  const split = message.indexOf(' / ');
  if (split < 0) return message;
  return lang === 'zh' ? message.slice(0, split) : message.slice(split + 3);
}

/** 预警: the alerts of my role, filtered by kind, colour, item and acknowledged or not; acknowledge with a note. */
export default function AlertsPage() {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') ?? undefined;
  const severity = params.get('severity') ?? undefined;
  const item = params.get('item') ? Number(params.get('item')) : undefined;
  const acknowledged = params.get('acknowledged') ?? 'false';
  const [rows, setRows] = useState<Alert[]>([]);
  const [next, setNext] = useState<{ before: string; beforeId: string } | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [target, setTarget] = useState<Alert | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const filters = { kind, severity, item, ...(acknowledged === 'all' ? { open: 'false' } : { acknowledged }) };
  const filterKey = JSON.stringify(filters);
  const extra = useRef(0);

  const load = useCallback(
    async (more: { before: string; beforeId: string } | null) => {
      try {
        const answer = await request<{ items: Alert[]; next: { before: string; beforeId: string } | null }>('GET', `/api/v1/alerts${queryOf({ ...filters, limit: 100, ...(more ?? {}) })}`);
        setRows((before) => (more ? [...before, ...answer.items] : answer.items));
        if (!more) extra.current = 0;
        setNext(answer.next);
        setError(null);
        setCheckedAt(new Date());
      } catch (failure) {
        setError(failure instanceof ApiError ? messageOfProblem(failure.problem).text : t('预警加载失败', 'Could not load alerts'));
      } finally {
        setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filterKey],
  );

  useEffect(() => {
    setLoading(true);
    void load(null);
    const timer = window.setInterval(() => void load(null), POLL_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const setFilter = (key: string, value: string | number | undefined) => {
    const nextParams = new URLSearchParams(params);
    if (value === undefined || value === '') nextParams.delete(key);
    else nextParams.set(key, String(value));
    setParams(nextParams, { replace: true });
  };

  async function acknowledge() {
    if (!target) return;
    setSaving(true);
    try {
      await request('POST', `/api/v1/alerts/${target.id}/acknowledge`, note.trim() ? { note: note.trim() } : {});
      message.success(t('已确认该预警', 'Alert acknowledged'));
      setTarget(null);
      setNote('');
      await load(null);
    } catch (failure) {
      message.error(failure instanceof ApiError ? messageOfProblem(failure.problem, lang).text : t('确认失败', 'Could not acknowledge'));
    } finally {
      setSaving(false);
    }
  }

  const columns: ColumnsType<Alert> = [
    { title: t('时间（北京时间）', 'When (Beijing)'), dataIndex: 'at', width: 150, render: (at: string) => formatBeijing(at) },
    {
      title: t('级别', 'Colour'),
      dataIndex: 'severity',
      width: 90,
      render: (value: Alert['severity']) => (value === 'red' ? <Tag color="error">{t('红色', 'Red')}</Tag> : value === 'yellow' ? <Tag style={WARNING_TAG}>{t('黄色', 'Yellow')}</Tag> : <Tag>{t('提示', 'Info')}</Tag>),
    },
    { title: t('类型', 'Kind'), dataIndex: 'kindName', width: 170, render: (name: Alert['kindName']) => (lang === 'zh' ? name.zh : name.en) },
    { title: t('项目', 'Project'), dataIndex: 'projectCode', width: 150, render: (code: string | null) => (code ? <Link to={`/projects/${encodeURIComponent(code)}`}>{code}</Link> : '—') },
    { title: t('内容', 'Message'), dataIndex: 'message', render: (text: string) => messageIn(text, lang) },
    {
      title: t('处理', 'Handling'),
      key: 'handling',
      width: 200,
      render: (_: unknown, alert) =>
        alert.acknowledgedAt ? (
          <Typography.Text>
            {t('已确认', 'Acknowledged')}（{alert.acknowledgedBy ?? '—'}，{formatBeijing(alert.acknowledgedAt)}）{alert.acknowledgedNote ? `：${alert.acknowledgedNote}` : ''}
          </Typography.Text>
        ) : (
          <Button size="small" onClick={() => setTarget(alert)} aria-label={t(`确认预警 ${alert.projectCode ?? ''}${alert.kindName.zh}`, `Acknowledge ${alert.kindName.en}`)}>
            {t('确认', 'Acknowledge')}
          </Button>
        ),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        {t('预警', 'Alerts')}
      </Typography.Title>
      <Space wrap>
        <Segmented
          aria-label={t('确认状态', 'Acknowledged')}
          value={acknowledged}
          onChange={(value) => setFilter('acknowledged', value === 'false' ? undefined : String(value))}
          options={[
            { label: t('待处理', 'Open'), value: 'false' },
            { label: t('已确认', 'Acknowledged'), value: 'true' },
            { label: t('全部', 'All'), value: 'all' },
          ]}
        />
        <Select
          allowClear
          style={{ minWidth: 180 }}
          aria-label={t('预警类型', 'Kind')}
          placeholder={t('全部类型', 'All kinds')}
          value={kind}
          onChange={(value) => setFilter('kind', value)}
          options={KIND_OPTIONS.map((option) => ({ value: option.value, label: lang === 'zh' ? option.zh : option.en }))}
        />
        <Select
          allowClear
          style={{ minWidth: 120 }}
          aria-label={t('预警级别', 'Colour')}
          placeholder={t('全部级别', 'All colours')}
          value={severity}
          onChange={(value) => setFilter('severity', value)}
          options={[
            { value: 'red', label: t('红色', 'Red') },
            { value: 'yellow', label: t('黄色', 'Yellow') },
            { value: 'info', label: t('提示', 'Info') },
          ]}
        />
        <Select
          allowClear
          style={{ minWidth: 240 }}
          aria-label={t('支持事项', 'Item')}
          placeholder={t('全部支持事项', 'All items')}
          value={item}
          onChange={(value) => setFilter('item', value)}
          options={itemGroups(lang)}
        />
      </Space>
      <Typography.Text type="secondary" aria-live="polite" data-testid="alerts-refreshed">
        {checkedAt ? t(`每 30 秒自动刷新，最近刷新 ${formatBeijing(checkedAt)}（北京时间）`, `Refreshed every 30 s; last ${formatBeijing(checkedAt)} (Beijing)`) : null}
      </Typography.Text>
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      <Table<Alert> rowKey="id" size="middle" loading={loading} columns={columns} dataSource={rows} pagination={false} scroll={{ x: 960 }} locale={{ emptyText: t('没有符合条件的预警', 'No alerts match') }} />
      {next ? <Button onClick={() => void load(next)}>{t('加载更早的预警', 'Load older alerts')}</Button> : null}
      <Modal
        open={target !== null}
        title={t('确认预警', 'Acknowledge the alert')}
        okText={t('确认', 'Acknowledge')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={saving}
        onOk={() => void acknowledge()}
        onCancel={() => setTarget(null)}
        destroyOnHidden
      >
        {target ? (
          <Form layout="vertical">
            <Typography.Paragraph>
              {target.projectCode ? `${target.projectCode} ` : ''}
              {lang === 'zh' ? target.kindName.zh : target.kindName.en}：{messageIn(target.message, lang)}
            </Typography.Paragraph>
            <Form.Item label={t('处理说明', 'Note')} htmlFor="alert-note">
              <Input.TextArea id="alert-note" rows={3} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} placeholder={t('例如：已电话督促项目单位', 'What was done')} />
            </Form.Item>
          </Form>
        ) : null}
      </Modal>
    </Space>
  );
}
