import { Alert, Button, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import type { FormInstance } from 'antd';
import { labelOf } from '../../../src/i18n/messages.ts';
import { useLang } from '../i18n.tsx';
import { categoriesOf, isTraining, type BudgetRow } from '../lib/budget-lines.ts';
import { formatFen, parseYuanToFen } from '../lib/format.ts';


/**
 * 预算明细 as rows: category within the item's 开支范围, purpose, amount; training rows also take
 * persons, days and sessions (item 5's fee standard is checked on them). The total is compared live
 * with the requested amount, as SUBMIT does.
 */
export function BudgetLinesEditor({ form }: { form: FormInstance }) {
  const { lang, t } = useLang();
  const rows = (Form.useWatch('budgetLines', form) as BudgetRow[] | undefined) ?? [];
  const item = Form.useWatch('item', form) as number | undefined;
  const requested = parseYuanToFen((Form.useWatch('amount', form) as string | undefined) ?? '');
  const total = rows.filter(Boolean).reduce((sum, row) => sum + (parseYuanToFen(row.amount ?? '') ?? 0), 0);
  const options = categoriesOf(item).map((category) => ({ value: category, label: labelOf('budgetCategory', category)[lang] }));
  // Days may be halves (0.5); the arrows step by whole days so "4" is not shown as "4.0".
  const figure = (name: 'persons' | 'days' | 'sessions', zh: string, en: string, row: number, min = 1) =>
    isTraining(rows[row]?.category) ? (
      <Form.Item name={[row, name]} noStyle>
        <InputNumber aria-label={t(`第 ${row + 1} 行${zh}`, `${en} of row ${row + 1}`)} min={min} step={1} style={{ width: 80 }} />
      </Form.Item>
    ) : null;

  return (
    <Form.List name="budgetLines">
      {(fields, { add, remove }) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Table
            size="small"
            pagination={false}
            dataSource={fields}
            rowKey="key"
            scroll={{ x: 900 }}
            locale={{ emptyText: t('尚未填报预算明细', 'No budget lines yet') }}
            columns={[
              {
                title: t('开支类别', 'Category'),
                width: 220,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'category']} noStyle>
                    <Select aria-label={t(`第 ${field.name + 1} 行开支类别`, `Category of row ${field.name + 1}`)} style={{ width: 210 }} options={options} />
                  </Form.Item>
                ),
              },
              {
                title: t('用途', 'Purpose'),
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'description']} noStyle>
                    <Input aria-label={t(`第 ${field.name + 1} 行用途`, `Purpose of row ${field.name + 1}`)} maxLength={200} />
                  </Form.Item>
                ),
              },
              {
                title: t('金额（元）', 'Amount (yuan)'),
                width: 150,
                render: (_: unknown, field) => (
                  <Form.Item name={[field.name, 'amount']} noStyle>
                    <Input aria-label={t(`第 ${field.name + 1} 行金额（元）`, `Amount of row ${field.name + 1}`)} inputMode="decimal" suffix="元" />
                  </Form.Item>
                ),
              },
              {
                title: t('培训人数 / 天数 / 期数', 'Training: persons / days / sessions'),
                width: 280,
                render: (_: unknown, field) => (
                  <Space>
                    {figure('persons', '人数', 'Persons', field.name)}
                    {figure('days', '天数', 'Days', field.name, 0.5)}
                    {figure('sessions', '期数', 'Sessions', field.name)}
                  </Space>
                ),
              },
              {
                title: t('操作', 'Action'),
                width: 80,
                render: (_: unknown, field) => (
                  <Button type="link" danger onClick={() => remove(field.name)} aria-label={t(`删除第 ${field.name + 1} 行预算明细`, `Remove budget row ${field.name + 1}`)}>
                    {t('删除', 'Remove')}
                  </Button>
                ),
              },
            ]}
          />
          <Button onClick={() => add({ category: options[0]?.value, description: '', amount: '' })}>{t('添加预算明细', 'Add a budget line')}</Button>
          {rows.length > 0 ? (
            <Alert
              type={requested !== null && total === requested ? 'success' : 'warning'}
              showIcon
              message={
                requested !== null && total === requested
                  ? t(`预算明细合计 ${formatFen(total)}，与申请金额一致`, `Budget lines add up to ${formatFen(total)}, as requested`)
                  : t(`预算明细合计 ${formatFen(total)}，申请金额 ${formatFen(requested)}，两者须一致`, `Budget lines add up to ${formatFen(total)}; requested ${formatFen(requested)}: they must match`)
              }
            />
          ) : null}
        </Space>
      )}
    </Form.List>
  );
}
