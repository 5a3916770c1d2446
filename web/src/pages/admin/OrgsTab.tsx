import { App, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { request } from '../../api/client.ts';
import { useLang } from '../../i18n.tsx';
import { ORG_KIND_NAMES, type OrgView } from './admin-api.ts';
import { CreditCodeInput } from './CreditCodeInput.tsx';
import { creditCodeRule } from './credit-code-check.ts';
import { failureText, useLoad } from './use-load.ts';

/** 单位: every organisation and a form to add one (its 统一社会信用代码 checked as it is typed). */
export function OrgsTab() {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const orgs = useLoad<{ items: OrgView[] }>('/api/v1/admin/orgs', t('单位加载失败', 'Could not load units'));
  const [form] = Form.useForm<{ name: string; kind: string; creditCode?: string }>();
  const [saving, setSaving] = useState(false);

  async function add(values: { name: string; kind: string; creditCode?: string }) {
    setSaving(true);
    try {
      await request('POST', '/api/v1/admin/orgs', { name: values.name, kind: values.kind, ...(values.creditCode ? { creditCode: values.creditCode } : {}) });
      message.success(t('单位已添加', 'Unit added'));
      form.resetFields();
      await orgs.reload();
    } catch (failure) {
      message.error(failureText(failure, t('添加失败', 'Could not add')));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <section aria-labelledby="org-add-heading">
        <Typography.Title level={3} id="org-add-heading" style={{ fontSize: 16 }}>
          {t('添加单位', 'Add a unit')}
        </Typography.Title>
        <Form form={form} layout="inline" onFinish={(values) => void add(values)} style={{ rowGap: 8 }}>
          <Form.Item name="name" label={t('单位名称', 'Name')} rules={[{ required: true, min: 2, message: t('请输入单位全称', 'Full name') }]}>
            <Input style={{ width: 280 }} />
          </Form.Item>
          <Form.Item name="kind" label={t('类型', 'Kind')} rules={[{ required: true, message: t('请选择类型', 'Kind') }]}>
            <Select style={{ width: 210 }} options={Object.entries(ORG_KIND_NAMES).map(([value, names]) => ({ value, label: names[lang] }))} />
          </Form.Item>
          <Form.Item name="creditCode" label={t('统一社会信用代码', 'Credit code')} rules={[creditCodeRule(lang, false)]}>
            <CreditCodeInput />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('添加', 'Add')}
            </Button>
          </Form.Item>
        </Form>
      </section>
      <section aria-labelledby="orgs-heading">
        <Typography.Title level={3} id="orgs-heading" style={{ fontSize: 16 }}>
          {t('单位', 'Units')}
        </Typography.Title>
        {orgs.error ? <Typography.Text type="danger">{orgs.error}</Typography.Text> : null}
        <Table<OrgView>
          rowKey="id"
          size="small"
          loading={orgs.loading}
          dataSource={orgs.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: t('单位名称', 'Name'), dataIndex: 'name' },
            { title: t('类型', 'Kind'), dataIndex: 'kind', width: 220, render: (kind: string) => ORG_KIND_NAMES[kind]?.[lang] ?? t('其他', 'Other') },
            { title: t('统一社会信用代码', 'Credit code'), dataIndex: 'creditCode', width: 220, render: (code: string | null) => code ?? '—' },
          ]}
        />
      </section>
    </Space>
  );
}
