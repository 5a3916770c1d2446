import { Alert, Button, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import type { FormInstance } from 'antd';
import { INDICATOR_LEVELS } from '../../../machines/project.schemas.ts';
import { useLang } from '../i18n.tsx';
import { COMPARATOR_NAMES, LEVEL_NAMES } from '../lib/labels.ts';
import { checkWeights, LEVELS, nextIndicatorId, type Level } from '../lib/targets.ts';

export interface TargetRow {
  id: string;
  level: Level;
  subLevel: string;
  name: string;
  unit?: string;
  comparator: '>=' | '<=' | '=' | 'qualitative';
  targetValue?: number | null;
  weight?: number | null;
}

/** The declaration form's targets: 产出/效益/满意度 with their sub-levels; weights checked live to total 100. */
export function TargetsEditor({ form }: { form: FormInstance }) {
  const { lang, t } = useLang();
  const targets = (Form.useWatch('targets', form) as TargetRow[] | undefined) ?? [];
  const check = checkWeights(targets.filter(Boolean).map((row) => ({ level: row.level, weight: Number(row.weight ?? 0) })));

  return (
    <Form.List name="targets">
      {(fields, { add, remove }) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Table
            size="small"
            pagination={false}
            dataSource={fields}
            rowKey="key"
            scroll={{ x: 900 }}
            locale={{ emptyText: t('尚未添加指标', 'No indicators yet') }}
            columns={[
              {
                title: t('一级指标', 'Level'),
                width: 130,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'level']} noStyle>
                    <Select
                      aria-label={t(`第 ${field.name + 1} 项一级指标`, `Level of row ${field.name + 1}`)}
                      style={{ width: 120 }}
                      options={LEVELS.map((level) => ({ value: level, label: LEVEL_NAMES[level]![lang] }))}
                      onChange={(level: Level) => form.setFieldValue(['targets', field.name, 'subLevel'], INDICATOR_LEVELS[level][0])}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('二级指标', 'Sub-level'),
                width: 170,
                render: (_: unknown, field) => {
                  const level = (targets[field.name]?.level ?? '产出') as Level;
                  return (
                    <Form.Item name={[field.name, 'subLevel']} noStyle>
                      <Select
                        aria-label={t(`第 ${field.name + 1} 项二级指标`, `Sub-level of row ${field.name + 1}`)}
                        style={{ width: 160 }}
                        options={INDICATOR_LEVELS[level].map((sub) => ({ value: sub, label: `${sub}指标` }))}
                      />
                    </Form.Item>
                  );
                },
              },
              {
                title: t('三级指标（名称）', 'Indicator'),
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'name']} noStyle>
                    <Input aria-label={t(`第 ${field.name + 1} 项指标名称`, `Name of row ${field.name + 1}`)} maxLength={200} />
                  </Form.Item>
                ),
              },
              {
                title: t('比较', 'Comparator'),
                width: 100,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'comparator']} noStyle>
                    <Select
                      aria-label={t(`第 ${field.name + 1} 项比较方式`, `Comparator of row ${field.name + 1}`)}
                      style={{ width: 90 }}
                      options={Object.entries(COMPARATOR_NAMES).map(([value, names]) => ({ value, label: names[lang] }))}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('指标值', 'Target'),
                width: 110,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'targetValue']} noStyle>
                    <InputNumber
                      aria-label={t(`第 ${field.name + 1} 项指标值`, `Target of row ${field.name + 1}`)}
                      min={0}
                      style={{ width: 100 }}
                      disabled={targets[field.name]?.comparator === 'qualitative'}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('单位', 'Unit'),
                width: 90,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'unit']} noStyle>
                    <Input aria-label={t(`第 ${field.name + 1} 项单位`, `Unit of row ${field.name + 1}`)} maxLength={32} style={{ width: 80 }} />
                  </Form.Item>
                ),
              },
              {
                title: t('权重', 'Weight'),
                width: 100,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'weight']} noStyle>
                    <InputNumber aria-label={t(`第 ${field.name + 1} 项权重`, `Weight of row ${field.name + 1}`)} min={0} max={100} style={{ width: 90 }} />
                  </Form.Item>
                ),
              },
              {
                title: t('操作', ''),
                width: 70,
                render: (_: unknown, field) => (
                  <Button type="link" danger onClick={() => remove(field.name)} aria-label={t(`删除第 ${field.name + 1} 项指标`, `Remove row ${field.name + 1}`)}>
                    {t('删除', 'Remove')}
                  </Button>
                ),
              },
            ]}
          />
          <Space wrap>
            {LEVELS.map((level) => (
              <Button
                key={level}
                onClick={() =>
                  add({
                    id: nextIndicatorId(level, targets.filter(Boolean).map((row) => row.id)),
                    level,
                    subLevel: INDICATOR_LEVELS[level][0],
                    name: '',
                    unit: '',
                    comparator: level === '满意度' ? '>=' : '>=',
                    weight: undefined,
                  })
                }
              >
                {t(`添加${LEVEL_NAMES[level]!.zh}`, `Add ${LEVEL_NAMES[level]!.en} indicator`)}
              </Button>
            ))}
          </Space>
          <Alert
            role="status"
            aria-live="polite"
            data-testid="weight-check"
            type={check.ok ? 'success' : 'warning'}
            showIcon
            message={`${check.message}（${LEVELS.map((level) => `${LEVEL_NAMES[level]![lang]} ${check.byLevel[level]}`).join('，')}）`}
          />
        </Space>
      )}
    </Form.List>
  );
}

/** Form rows as the schema's indicators: empty optional fields dropped, numbers as numbers. */
export function targetsOf(rows: readonly (TargetRow | undefined)[] | undefined) {
  return (rows ?? []).filter((row): row is TargetRow => Boolean(row)).map((row) => ({
    id: row.id,
    level: row.level,
    subLevel: row.subLevel,
    name: (row.name ?? '').trim(),
    unit: (row.unit ?? '').trim(),
    comparator: row.comparator,
    ...(row.comparator !== 'qualitative' && row.targetValue !== null && row.targetValue !== undefined ? { targetValue: Number(row.targetValue) } : {}),
    weight: Number(row.weight ?? 0),
  }));
}
