import { App, Button, Checkbox, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { QUALIFICATIONS } from '../../../../config/qualifications.ts';
import { request } from '../../api/client.ts';
import { useLang } from '../../i18n.tsx';
import { formatFen, parseYuanToFen } from '../../lib/format.ts';
import { itemGroups, itemName } from '../../lib/labels.ts';
import { useSession } from '../../session.tsx';
import { SUPPORT_LEVEL_NAMES, type BeneficiaryView, type PriorSupportView } from './admin-api.ts';
import { CreditCodeInput } from './CreditCodeInput.tsx';
import { creditCodeRule } from './credit-code-check.ts';
import { failureText, useLoad } from './use-load.ts';

const officialQuotes = (text: string) => text.replace(/"([^"]*)"/g, '“$1”');
const WRITERS = new Set(['center', 'finance', 'admin']);

interface SupportForm {
  policy: string;
  level: PriorSupportView['level'];
  year: number;
  item?: number;
  amountYuan: string;
  contractNumbers?: string;
  invoiceNumbers?: string;
}

const numbersOf = (text: string | undefined) => (text ?? '').split(/[,，;；\s]+/).map((part) => part.trim()).filter(Boolean);

/** One beneficiary's support already had (就高不重复) and a form to record more. */
function PriorSupport({ code, canWrite }: { code: string; canWrite: boolean }) {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const detail = useLoad<BeneficiaryView & { priorSupport: PriorSupportView[] }>(`/api/v1/beneficiaries/${encodeURIComponent(code)}`, t('加载失败', 'Could not load'));
  const [form] = Form.useForm<SupportForm>();

  async function add(values: SupportForm) {
    const amountFen = parseYuanToFen(values.amountYuan);
    if (amountFen === null) return;
    try {
      await request('POST', `/api/v1/beneficiaries/${encodeURIComponent(code)}/prior-support`, {
        policy: values.policy,
        level: values.level,
        year: values.year,
        item: values.item ?? null,
        amountFen,
        contractNumbers: numbersOf(values.contractNumbers),
        invoiceNumbers: numbersOf(values.invoiceNumbers),
      });
      message.success(t('已记录', 'Recorded'));
      form.resetFields();
      await detail.reload();
    } catch (failure) {
      message.error(failureText(failure, t('记录失败', 'Could not record')));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table<PriorSupportView>
        rowKey="id"
        size="small"
        loading={detail.loading}
        dataSource={detail.data?.priorSupport ?? []}
        pagination={false}
        locale={{ emptyText: t('暂无已获支持记录', 'No support recorded') }}
        columns={[
          { title: t('政策或项目', 'Policy'), dataIndex: 'policy' },
          { title: t('级别', 'Level'), dataIndex: 'level', width: 80, render: (level: PriorSupportView['level']) => SUPPORT_LEVEL_NAMES[level][lang] },
          { title: t('年度', 'Year'), dataIndex: 'year', width: 70 },
          { title: t('对应事项', 'Item'), dataIndex: 'item', render: (item: number | null) => (item ? itemName(item, lang) : '—') },
          { title: t('金额', 'Amount'), dataIndex: 'amountFen', width: 150, align: 'right', render: (fen: number) => formatFen(fen) },
          { title: t('合同、发票号', 'Contracts, invoices'), key: 'numbers', render: (_, row) => [...row.contractNumbers, ...row.invoiceNumbers].join('、') || '—' },
        ]}
      />
      {canWrite ? (
        <Form form={form} layout="inline" initialValues={{ level: 'county', year: new Date().getFullYear() }} onFinish={(values) => void add(values)} style={{ rowGap: 8 }}>
          <Form.Item name="policy" label={t('政策或项目', 'Policy')} rules={[{ required: true, message: t('请填写', 'Required') }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="level" label={t('级别', 'Level')}>
            <Select style={{ width: 100 }} options={Object.entries(SUPPORT_LEVEL_NAMES).map(([value, names]) => ({ value, label: names[lang] }))} />
          </Form.Item>
          <Form.Item name="year" label={t('年度', 'Year')}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Form.Item name="item" label={t('对应事项', 'Item')}>
            <Select style={{ width: 240 }} allowClear options={itemGroups(lang)} />
          </Form.Item>
          <Form.Item
            name="amountYuan"
            label={t('金额（元）', 'Amount (yuan)')}
            rules={[{ validator: async (_r, value: string | undefined) => { if (!value || parseYuanToFen(value) === null || parseYuanToFen(value) === 0) throw new Error(t('请输入金额，最多两位小数', 'An amount, at most two decimals')); } }]}
          >
            <Input style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="contractNumbers" label={t('合同号', 'Contracts')}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="invoiceNumbers" label={t('发票号', 'Invoices')}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">{t('记录已获支持', 'Record support')}</Button>
          </Form.Item>
        </Form>
      ) : null}
    </Space>
  );
}

/** 受益企业登记: the registry by 统一社会信用代码 (checked as it is typed), qualifications and the support already had. */
export function BeneficiariesTab() {
  const { lang, t } = useLang();
  const { user } = useSession();
  const { message } = App.useApp();
  const canWrite = WRITERS.has(user.role);
  const list = useLoad<{ items: BeneficiaryView[] }>('/api/v1/beneficiaries?limit=500', t('加载失败', 'Could not load'));
  const [form] = Form.useForm<{ creditCode: string; name: string; qualifications: string[]; listingReserve: boolean }>();
  const [open, setOpen] = useState<string[]>([]);

  async function save(values: { creditCode: string; name: string; qualifications: string[]; listingReserve: boolean }) {
    try {
      await request('POST', '/api/v1/beneficiaries', { ...values, creditCode: values.creditCode.trim().toUpperCase(), qualifications: values.qualifications ?? [], listingReserve: values.listingReserve ?? false });
      message.success(t('已登记', 'Saved'));
      form.resetFields();
      await list.reload();
    } catch (failure) {
      message.error(failureText(failure, t('登记失败', 'Could not save')));
    }
  }

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {canWrite ? (
        <section aria-labelledby="beneficiary-add-heading">
          <Typography.Title level={3} id="beneficiary-add-heading" style={{ fontSize: 16 }}>
            {t('登记或更新受益企业', 'Register or update a beneficiary')}
          </Typography.Title>
          <Form form={form} layout="inline" onFinish={(values) => void save(values)} style={{ rowGap: 8 }}>
            <Form.Item name="creditCode" label={t('统一社会信用代码', 'Credit code')} rules={[creditCodeRule(lang, true)]} hasFeedback>
              <CreditCodeInput />
            </Form.Item>
            <Form.Item name="name" label={t('企业名称', 'Name')} rules={[{ required: true, message: t('请输入企业名称', 'Name') }]}>
              <Input style={{ width: 240 }} />
            </Form.Item>
            <Form.Item name="qualifications" label={t('资质', 'Qualifications')}>
              <Select mode="multiple" style={{ width: 300 }} options={QUALIFICATIONS.map((q) => ({ value: q.id, label: lang === 'zh' ? officialQuotes(q.zh) : q.en }))} />
            </Form.Item>
            <Form.Item name="listingReserve" valuePropName="checked">
              <Checkbox>{t('列入上市后备企业名单', 'On the listing reserve list')}</Checkbox>
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit">
                {t('登记', 'Save')}
              </Button>
            </Form.Item>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="beneficiaries-heading">
        <Typography.Title level={3} id="beneficiaries-heading" style={{ fontSize: 16 }}>
          {t('受益企业', 'Beneficiaries')}
        </Typography.Title>
        {list.error ? <Typography.Text type="danger">{list.error}</Typography.Text> : null}
        <Table<BeneficiaryView>
          rowKey="creditCode"
          size="small"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          expandable={{ expandedRowKeys: open, onExpandedRowsChange: (keys) => setOpen(keys as string[]), expandedRowRender: (row) => <PriorSupport code={row.creditCode} canWrite={canWrite} /> }}
          columns={[
            { title: t('统一社会信用代码', 'Credit code'), dataIndex: 'creditCode', width: 200, render: (code: string) => <code>{code}</code> },
            { title: t('企业名称', 'Name'), dataIndex: 'name' },
            {
              title: t('资质', 'Qualifications'),
              dataIndex: 'qualifications',
              render: (ids: string[]) => ids.map((id) => <Tag key={id}>{officialQuotes(QUALIFICATIONS.find((q) => q.id === id)?.[lang === 'zh' ? 'zh' : 'en'] ?? id)}</Tag>),
            },
            { title: t('上市后备', 'Listing reserve'), dataIndex: 'listingReserve', width: 100, render: (on: boolean) => (on ? t('是', 'Yes') : t('否', 'No')) },
          ]}
        />
      </section>
    </Space>
  );
}
