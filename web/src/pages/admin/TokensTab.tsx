import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { request } from '../../api/client.ts';
import { useLang } from '../../i18n.tsx';
import { formatBeijing } from '../../lib/format.ts';
import { roleName } from '../../lib/labels.ts';
import type { TokenView, UserView } from './admin-api.ts';
import { failureText, useLoad } from './use-load.ts';

/** API 令牌: a user's tokens (only their SHA-256 is kept), issuing one (shown once) and revoking. */
export function TokensTab({ userId, onUser }: { userId: string | null; onUser: (userId: string) => void }) {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const users = useLoad<{ items: UserView[] }>('/api/v1/admin/users', t('人员加载失败', 'Could not load people'));
  const tokens = useLoad<{ items: TokenView[] }>(userId ? `/api/v1/admin/users/${userId}/tokens` : null, t('令牌加载失败', 'Could not load tokens'));
  const [shown, setShown] = useState<string | null>(null);
  const [form] = Form.useForm<{ label: string; expiresInDays: number }>();

  async function issue(values: { label: string; expiresInDays: number }) {
    try {
      const answer = await request<{ token: string }>('POST', `/api/v1/admin/users/${userId}/tokens`, values);
      setShown(answer.token);
      form.resetFields();
      await tokens.reload();
    } catch (failure) {
      message.error(failureText(failure, t('签发失败', 'Could not issue')));
    }
  }

  async function revoke(hash: string) {
    try {
      await request('POST', '/api/v1/admin/tokens/revoke', { token: hash });
      message.success(t('令牌已吊销，立即失效', 'Revoked; it stops at once'));
      await tokens.reload();
    } catch (failure) {
      message.error(failureText(failure, t('吊销失败', 'Could not revoke')));
    }
  }

  const active = (users.data?.items ?? []).filter((user) => user.active);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">
        {t('API 令牌供其他系统调用接口使用（请求头 Authorization: Bearer 令牌）。令牌只在签发时显示一次，系统只保存其摘要。', 'API tokens let other systems call the API (Authorization: Bearer <token>). A token is shown once, when issued; only its hash is kept.')}
      </Typography.Paragraph>
      <Space wrap>
        <label htmlFor="token-user">{t('人员', 'Person')}</label>
        <Select
          id="token-user"
          style={{ width: 360 }}
          showSearch
          optionFilterProp="label"
          value={userId ?? undefined}
          placeholder={t('请选择人员', 'Choose a person')}
          options={active.map((user) => ({ value: user.id, label: `${user.name}（${roleName(user.role, lang)}，${user.email}）` }))}
          onChange={onUser}
        />
      </Space>
      {userId ? (
        <>
          <Form form={form} layout="inline" initialValues={{ expiresInDays: 90 }} onFinish={(values) => void issue(values)} style={{ rowGap: 8 }}>
            <Form.Item name="label" label={t('用途', 'Purpose')} rules={[{ required: true, message: t('请说明令牌用途', 'Say what it is for') }]}>
              <Input style={{ width: 220 }} placeholder={t('如：财政一体化系统对接', 'e.g. finance system link')} />
            </Form.Item>
            <Form.Item name="expiresInDays" label={t('有效期（天）', 'Valid (days)')}>
              <InputNumber min={1} max={365} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit">
                {t('签发令牌', 'Issue a token')}
              </Button>
            </Form.Item>
          </Form>
          {tokens.error ? <Typography.Text type="danger">{tokens.error}</Typography.Text> : null}
          <Table<TokenView>
            rowKey="tokenHash"
            size="small"
            loading={tokens.loading}
            dataSource={tokens.data?.items ?? []}
            pagination={false}
            columns={[
              { title: t('用途', 'Purpose'), dataIndex: 'label' },
              { title: t('摘要（前 12 位）', 'Hash (first 12)'), dataIndex: 'tokenHash', width: 150, render: (hash: string) => <code>{hash.slice(0, 12)}</code> },
              { title: t('签发时间（北京时间）', 'Issued (Beijing)'), dataIndex: 'createdAt', width: 170, render: (at: string) => formatBeijing(at) },
              { title: t('到期时间（北京时间）', 'Expires (Beijing)'), dataIndex: 'expiresAt', width: 170, render: (at: string | null) => (at ? formatBeijing(at) : t('长期有效', 'Never')) },
              {
                title: t('状态', 'Status'),
                key: 'status',
                width: 170,
                render: (_, row) =>
                  row.revokedAt ? (
                    <Tag>{t(`已吊销 ${formatBeijing(row.revokedAt)}`, `Revoked ${formatBeijing(row.revokedAt)}`)}</Tag>
                  ) : (
                    <Popconfirm title={t('吊销此令牌？使用它的系统将立即无法访问。', 'Revoke? Systems using it stop at once.')} okText={t('吊销', 'Revoke')} cancelText={t('取消', 'Cancel')} onConfirm={() => revoke(row.tokenHash)}>
                      <Button size="small" danger>
                        {t('吊销', 'Revoke')}
                      </Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        </>
      ) : null}
      <Modal destroyOnHidden open={shown !== null} title={t('新令牌（仅显示这一次）', 'New token (shown this once)')} onOk={() => setShown(null)} onCancel={() => setShown(null)} okText={t('已妥善保存', 'I have saved it')} cancelButtonProps={{ style: { display: 'none' } }}>
        <Alert type="warning" showIcon message={t('请立即复制并妥善保存。关闭后无法再次查看，遗失只能吊销后重新签发。', 'Copy it now. It cannot be shown again; if lost, revoke it and issue another.')} />
        <Typography.Paragraph copyable={{ text: shown ?? '' }} style={{ marginTop: 12, wordBreak: 'break-all' }} data-testid="new-token">
          <code>{shown}</code>
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
