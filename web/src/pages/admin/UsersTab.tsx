import { App, Button, Form, Input, Popconfirm, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ROLES } from '../../../../config/roles.ts';
import { request } from '../../api/client.ts';
import { useLang } from '../../i18n.tsx';
import { formatBeijing } from '../../lib/format.ts';
import { roleName } from '../../lib/labels.ts';
import { useSession } from '../../session.tsx';
import type { OrgView, UserView } from './admin-api.ts';
import { failureText, useLoad } from './use-load.ts';

interface InviteForm {
  email: string;
  name: string;
  role: string;
  orgId?: string;
  locale: 'zh-CN' | 'en';
}

/** 人员: every user, an invitation form (the invitation is an emailed sign-in link), role changes and deactivation. */
export function UsersTab({ onTokens }: { onTokens: (userId: string) => void }) {
  const { lang, t } = useLang();
  const { user: me } = useSession();
  const { message, modal } = App.useApp();
  const users = useLoad<{ items: UserView[] }>('/api/v1/admin/users', t('人员加载失败', 'Could not load people'));
  const orgs = useLoad<{ items: OrgView[] }>('/api/v1/admin/orgs', t('单位加载失败', 'Could not load units'));
  const [form] = Form.useForm<InviteForm>();
  const roleOptions = ROLES.map((role) => ({ value: role, label: roleName(role, lang) }));
  const orgOptions = (orgs.data?.items ?? []).map((org) => ({ value: org.id, label: org.name }));

  async function invite(values: InviteForm) {
    try {
      const answer = await request<{ invitation: { sent: boolean } | null }>('POST', '/api/v1/admin/users', { ...values, orgId: values.orgId ?? null });
      if (answer.invitation?.sent) message.success(t(`已向 ${values.email} 发送登录链接`, `Sign-in link sent to ${values.email}`));
      else message.warning(t('人员已添加，但邀请邮件未能发出，请稍后点击“重发邀请”', 'Added, but the invitation could not be sent; resend it later'));
      form.resetFields();
      await users.reload();
    } catch (failure) {
      message.error(failureText(failure, t('添加失败', 'Could not add')));
    }
  }

  async function act(path: string, body: unknown, method: string, done: string) {
    try {
      await request(method, path, body);
      message.success(done);
      await users.reload();
    } catch (failure) {
      message.error(failureText(failure, t('操作失败', 'Failed')));
    }
  }

  const columns: ColumnsType<UserView> = [
    { title: t('姓名', 'Name'), dataIndex: 'name', width: 90 },
    { title: t('电子邮箱', 'Email'), dataIndex: 'email' },
    {
      title: t('角色', 'Role'),
      dataIndex: 'role',
      width: 180,
      render: (role: string, row) =>
        row.active && row.id !== me.id ? (
          <Select
            size="small"
            value={role}
            options={roleOptions}
            style={{ width: 165 }}
            aria-label={t(`${row.name}的角色`, `Role of ${row.name}`)}
            onChange={(next) =>
              modal.confirm({
                title: t(`将${row.name}的角色改为“${roleName(next, lang)}”？`, `Make ${row.name} ${roleName(next, lang)}?`),
                content: t('更改后其下一次操作即按新角色办理。', 'It applies from their next request.'),
                okText: t('更改', 'Change'),
                cancelText: t('取消', 'Cancel'),
                onOk: () => act(`/api/v1/admin/users/${row.id}`, { role: next }, 'PATCH', t('角色已更改', 'Role changed')),
              })
            }
          />
        ) : (
          roleName(role, lang)
        ),
    },
    { title: t('所属单位', 'Unit'), dataIndex: 'orgName', render: (name: string | null) => name ?? '—' },
    { title: t('状态', 'Status'), dataIndex: 'active', width: 70, render: (active: boolean) => (active ? t('在用', 'Active') : <Typography.Text type="secondary">{t('已停用', 'Deactivated')}</Typography.Text>) },
    { title: t('最近登录（北京时间）', 'Last sign-in (Beijing)'), dataIndex: 'lastSignInAt', width: 140, render: (at: string | null) => formatBeijing(at) },
    {
      title: t('操作', 'Actions'),
      key: 'actions',
      width: 230,
      render: (_, row) =>
        row.active ? (
          <Space size={4}>
            <Button size="small" onClick={() => void act(`/api/v1/admin/users/${row.id}/invite`, undefined, 'POST', t('登录链接已发送', 'Sign-in link sent'))}>
              {t('重发邀请', 'Resend invitation')}
            </Button>
            <Button size="small" onClick={() => onTokens(row.id)}>
              {t(`令牌 ${row.liveTokens}`, `Tokens ${row.liveTokens}`)}
            </Button>
            {row.id === me.id ? null : (
              <Popconfirm
                title={t(`停用 ${row.name} 的账号？`, `Deactivate ${row.name}?`)}
                description={t('其登录会话、API 令牌和未使用的邮件链接将立即失效。', 'Their sessions, API tokens and unused email links stop at once.')}
                okText={t('停用', 'Deactivate')}
                cancelText={t('取消', 'Cancel')}
                onConfirm={() => act(`/api/v1/admin/users/${row.id}/deactivate`, undefined, 'POST', t('账号已停用', 'Deactivated'))}
              >
                <Button size="small" danger>
                  {t('停用', 'Deactivate')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : null,
    },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <section aria-labelledby="invite-heading">
        <Typography.Title level={3} id="invite-heading" style={{ fontSize: 16 }}>
          {t('邀请人员', 'Invite a person')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('系统向被邀请人发送登录链接和验证码（15 分钟内有效）；过期后本人可在登录页重新获取。本系统不设密码。', 'The person is emailed a sign-in link and code (15 minutes); after that they can ask for a new one on the sign-in page. There are no passwords.')}
        </Typography.Paragraph>
        <Form form={form} layout="inline" onFinish={(values) => void invite(values)} initialValues={{ locale: 'zh-CN' }} style={{ rowGap: 8 }}>
          <Form.Item name="email" label={t('电子邮箱', 'Email')} rules={[{ required: true, type: 'email', message: t('请输入有效的电子邮箱', 'A valid email') }]}>
            <Input style={{ width: 220 }} autoComplete="off" />
          </Form.Item>
          <Form.Item name="name" label={t('姓名', 'Name')} rules={[{ required: true, message: t('请输入姓名', 'Name') }]}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="role" label={t('角色', 'Role')} rules={[{ required: true, message: t('请选择角色', 'Role') }]}>
            <Select style={{ width: 180 }} options={roleOptions} />
          </Form.Item>
          <Form.Item name="orgId" label={t('所属单位', 'Unit')}>
            <Select style={{ width: 260 }} options={orgOptions} allowClear showSearch optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="locale" label={t('邮件语言', 'Email language')}>
            <Select style={{ width: 100 }} options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('邀请并发送登录链接', 'Invite and send a sign-in link')}
            </Button>
          </Form.Item>
        </Form>
      </section>
      <section aria-labelledby="users-heading">
        <Typography.Title level={3} id="users-heading" style={{ fontSize: 16 }}>
          {t('人员', 'People')}
        </Typography.Title>
        {users.error ? <Typography.Text type="danger">{users.error}</Typography.Text> : null}
        <Table<UserView> rowKey="id" size="small" loading={users.loading} columns={columns} dataSource={users.data?.items ?? []} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 1000 }} />
      </section>
    </Space>
  );
}
