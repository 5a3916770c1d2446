import { Alert, Card, Segmented, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useLang } from '../i18n.tsx';
import { Loading } from './Loading.tsx';

/**
 * One dashboard panel: a heading, a 图表/表格 switch (the table is the chart's accessible twin and
 * what a keyboard or screen-reader user reads), and its own loading and error state, since every
 * panel is its own request.
 */
export function ChartPanel({ title, extra, chart, table, loading, error, testId }: {
  title: string;
  extra?: ReactNode;
  chart: () => ReactNode;
  table: () => ReactNode;
  loading: boolean;
  error: string | null;
  testId: string;
}) {
  const { t } = useLang();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const headingId = `${testId}-heading`;
  return (
    <Card
      data-testid={testId}
      aria-labelledby={headingId}
      role="region"
      title={
        <Typography.Title level={3} id={headingId} style={{ fontSize: 16, margin: 0 }}>
          {title}
        </Typography.Title>
      }
      extra={
        <Space wrap>
          {extra}
          <Segmented<'chart' | 'table'>
            size="small"
            aria-label={`${title}：${t('显示方式', 'view')}`}
            value={view}
            onChange={setView}
            options={[
              { label: t('图表', 'Chart'), value: 'chart' },
              { label: t('表格', 'Table'), value: 'table' },
            ]}
          />
        </Space>
      }
    >
      {error ? <Alert type="error" showIcon message={error} /> : loading ? <Loading /> : view === 'chart' ? chart() : table()}
    </Card>
  );
}
