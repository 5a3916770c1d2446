import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { request } from '../../api/client.ts';
import { useLang } from '../../i18n.tsx';
import { ApiError, messageOfProblem } from '../../lib/problem.ts';
import { ORG_KIND_NAMES, type OrgView } from './admin-api.ts';
import { CreditCodeInput } from './CreditCodeInput.tsx';
import { creditCodeRule } from './credit-code-check.ts';
import { failureText, useLoad } from './use-load.ts';

/** 单位: every organisation, a form to add one and a dialog to edit one (the 统一社会信用代码 checked as it is typed). */
export function OrgsTab() {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const orgs = useLoad<{ items: OrgView[] }>('/api/v1/admin/orgs', t('单位加载失败', 'Could not load units'));
  const [form] = Form.useForm<{ name: string; kind: string; creditCode?: string }>();
  const [saving, setSaving] = useState(false);
  const [editing, setEditing] = useState<OrgView | null>(null);

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
            {
              title: t('操作', 'Actions'),
              width: 90,
              render: (_: unknown, org) => (
                <Button size="small" aria-label={t(`编辑${org.name}`, `Edit ${org.name}`)} onClick={() => setEditing(org)}>
                  {t('编辑', 'Edit')}
                </Button>
              ),
            },
          ]}
        />
      </section>
      {editing ? (
        <OrgEditModal
          org={editing}
          onClose={(changed) => {
            setEditing(null);
            if (changed) void orgs.reload();
          }}
        />
      ) : null}
    </Space>
  );
}

type OrgEdit = { name: string; creditCode?: string };

/** 编辑单位: the name and the credit code; an emptied code is cleared. The server checks both again and names the field it refuses. */
function OrgEditModal(props: { org: OrgView; onClose: (changed: boolean) => void }) {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<OrgEdit>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(values: OrgEdit) {
    const name = values.name.trim();
    const creditCode = values.creditCode?.trim() ? values.creditCode.trim().toUpperCase() : null;
    const change = { ...(name !== props.org.name ? { name } : {}), ...(creditCode !== props.org.creditCode ? { creditCode } : {}) };
    if (!Object.keys(change).length) {
      props.onClose(false);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await request('PATCH', `/api/v1/admin/orgs/${props.org.id}`, change);
      message.success(t('单位信息已保存', 'Unit saved'));
      props.onClose(true);
    } catch (failure) {
      if (failure instanceof ApiError) {
        const refused = messageOfProblem(failure.problem, lang);
        const known = refused.fields.filter((field) => field.field === 'name' || field.field === 'creditCode');
        form.setFields(known.map((field) => ({ name: field.field as keyof OrgEdit, errors: [field.field === 'name' ? nameProblem(field.message, lang) : creditCodeProblemText(field.message, lang)] })));
        setError(known.length ? t('请按提示修改后再保存', 'Please correct the marked fields') : refused.text);
      } else {
        setError(t('保存失败，请稍后再试', 'Could not save'));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={t(`编辑单位：${props.org.name}`, `Edit unit: ${props.org.name}`)} onCancel={() => props.onClose(false)} footer={null} destroyOnHidden>
      {/* A form name of its own: the add form's fields are also "name" and "creditCode", and two inputs with one id would take each other's labels. */}
      <Form form={form} name="org-edit" layout="vertical" initialValues={{ name: props.org.name, creditCode: props.org.creditCode ?? '' }} onFinish={(values) => void save(values)}>
        {error ? <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} /> : null}
        <Form.Item name="name" label={t('单位名称', 'Name')} rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('请输入单位全称（2–100 字）', 'Full name, 2 to 100 characters') }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="creditCode"
          label={t('统一社会信用代码', 'Credit code')}
          extra={t('清空即删除该单位的代码', 'Empty it to remove the code')}
          rules={[creditCodeRule(lang, false)]}
        >
          <CreditCodeInput />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('保存', 'Save')}
          </Button>
          <Button onClick={() => props.onClose(false)}>{t('取消', 'Cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

/** The server's field messages are English; a person reads these instead. */
function nameProblem(serverMessage: string, lang: 'zh' | 'en'): string {
  if (/already exists/.test(serverMessage)) return lang === 'zh' ? '已有同名单位，请换一个名称' : 'Another unit has this name';
  return lang === 'zh' ? '请输入单位全称（2–100 字）' : serverMessage;
}

function creditCodeProblemText(serverMessage: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? '统一社会信用代码不正确，请核对' : serverMessage;
}
