import { Alert, Descriptions, Form, Input, InputNumber, Radio, Table, Tag } from 'antd';
import { DEFAULT_LIFECYCLE_RULES } from '../../../config/lifecycle-rules.ts';
import type { Indicator } from '../../../machines/project.schemas.ts';
import { QUALITATIVE_BANDS, type QualitativeBand } from '../../../src/domain/evaluation-scoring.ts';
import type { ProjectView } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { evaluationInputOf, previewEvaluation, type IndicatorEntry } from '../lib/evaluation-preview.ts';
import { COMPARATOR_NAMES, LEVEL_NAMES } from '../lib/labels.ts';
import { Footer } from './Footer.tsx';
import { REPORT_SECTIONS } from './ProjectSections.tsx';

interface EvaluationValues {
  entries?: Record<string, IndicatorEntry>;
  report?: Record<string, string>;
}

/** The evaluation form: a measurement per indicator, the report's six sections, and the live total and grade. */
export default function EvaluationForm(props: {
  project: ProjectView;
  busy: boolean;
  onSubmit: (payload: Record<string, unknown>, fieldOf: (path: (string | number)[]) => (string | number)[]) => Promise<boolean>;
  onCancel: () => void;
}) {
  const { lang, t } = useLang();
  const [form] = Form.useForm<EvaluationValues>();
  const targets = props.project.context.proposal.targets as Indicator[];
  const entries = Form.useWatch('entries', form) ?? {};
  const input = evaluationInputOf(targets, entries);
  const facts = { committedFen: props.project.context.committedFen, disbursedFen: props.project.context.disbursedFen };
  const preview = previewEvaluation(targets, input, facts, DEFAULT_LIFECYCLE_RULES.evaluation);

  const finish = (values: EvaluationValues) => {
    const report = Object.fromEntries(REPORT_SECTIONS.map((section) => [section, (values.report?.[section] ?? '').trim()]));
    // An issue at indicators.N names the Nth target; the form keys rows by indicator id.
    void props.onSubmit({ ...input, report }, (path) =>
      path[0] === 'indicators' && typeof path[1] === 'number' ? ['entries', targets[path[1]]?.id ?? '', String(path[2] ?? 'actual')] : path.slice(0, 2),
    );
  };

  return (
    <Form form={form} layout="vertical" onFinish={finish}>
      <Table<Indicator>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={targets}
        scroll={{ x: 800 }}
        columns={[
          { title: t('一级指标', 'Level'), dataIndex: 'level', width: 100, render: (level: string) => LEVEL_NAMES[level]?.[lang] ?? level },
          { title: t('指标', 'Indicator'), dataIndex: 'name' },
          {
            title: t('目标', 'Target'),
            width: 120,
            render: (_: unknown, row) => (row.comparator === 'qualitative' ? t('定性', 'qualitative') : `${COMPARATOR_NAMES[row.comparator]?.[lang] ?? ''} ${row.targetValue ?? ''} ${row.unit}`),
          },
          {
            title: t('实际完成', 'Measured'),
            width: 420,
            render: (_: unknown, row) =>
              row.comparator === 'qualitative' ? (
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                  {/* Three bands as radio buttons, not a drop-down: all in view, one click, no pop-up. Under
                      load a click on the drop-down's option (portalled outside this dialog) was seen to leave
                      the band empty although the click was reported done, so the total never appeared (the
                      journey's flake at preview-total). */}
                  <Form.Item name={['entries', row.id, 'band']} noStyle>
                    <Radio.Group
                      aria-label={t(`${row.name}的评价档次`, `Band of ${row.name}`)}
                      optionType="button"
                      size="small"
                      options={(Object.keys(QUALITATIVE_BANDS) as QualitativeBand[]).map((band) => ({
                        value: band,
                        label: `${QUALITATIVE_BANDS[band].zh}（${QUALITATIVE_BANDS[band].min}–${QUALITATIVE_BANDS[band].max}%）`,
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name={['entries', row.id, 'percent']} noStyle>
                    <InputNumber aria-label={t(`${row.name}的得分比例`, `Percent of ${row.name}`)} min={0} max={100} addonAfter="%" style={{ width: 120 }} />
                  </Form.Item>
                </div>
              ) : (
                <Form.Item name={['entries', row.id, 'actual']} noStyle>
                  <InputNumber aria-label={t(`${row.name}的实际完成值`, `Actual of ${row.name}`)} addonAfter={row.unit || undefined} style={{ width: 180 }} />
                </Form.Item>
              ),
          },
          {
            title: t('得分', 'Score'),
            width: 110,
            align: 'right',
            render: (_: unknown, row) => {
              const scored = preview.ok ? preview.score.indicators.find((entry) => entry.indicatorId === row.id) : undefined;
              return scored ? `${scored.score} / ${scored.weight}` : '—';
            },
          },
        ]}
      />
      <div role="status" aria-live="polite" style={{ margin: '12px 0' }}>
        {preview.ok ? (
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('预算执行得分', 'Budget execution')}>
              {preview.score.budgetExecution.score} / {preview.score.budgetExecution.weight}
            </Descriptions.Item>
            <Descriptions.Item label={t('预计总分', 'Total')}>
              <strong data-testid="preview-total">{preview.score.total.toFixed(2)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('预计等级', 'Grade')}>
              <Tag color="blue" data-testid="preview-grade">
                {preview.score.grade}
              </Tag>
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Alert type="info" showIcon message={t('填写全部指标的实际完成情况后，将按评分规则即时计算总分和等级', 'Fill in every indicator to see the total and grade')} />
        )}
      </div>
      {REPORT_SECTIONS.map((section) => (
        <Form.Item key={section} name={['report', section]} label={section} required>
          <Input.TextArea rows={2} maxLength={20000} />
        </Form.Item>
      ))}
      <Footer busy={props.busy} label={t('提交绩效评价', 'Submit evaluation')} onCancel={props.onCancel} />
    </Form>
  );
}
