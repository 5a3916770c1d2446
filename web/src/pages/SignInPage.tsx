import { Alert, Button, Card, Form, Input, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { request, setCsrfToken } from '../api/client.ts';
import { useLang } from '../i18n.tsx';
import type { Lang } from '../lib/labels.ts';
import { safeNext } from '../lib/next.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Sign-in by a one-time link or a 6-digit code sent to the user's email: no passwords. */
export default function SignInPage() {
  const { lang, setLang, t } = useLang();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function sendMail(values: { email: string }) {
    setBusy(true);
    setError(null);
    try {
      await request('POST', '/api/v1/auth/sign-in', { email: values.email.trim(), next });
      setEmail(values.email.trim());
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem, lang).text : t('发送失败，请稍后再试', 'Could not send, try again later'));
    } finally {
      setBusy(false);
    }
  }

  async function signInWithCode(values: { code: string }) {
    setBusy(true);
    setError(null);
    try {
      const answer = await request<{ csrfToken: string }>('POST', '/api/v1/auth/sessions', { email, code: values.code.trim() });
      setCsrfToken(answer.csrfToken);
      navigate(next, { replace: true });
    } catch (failure) {
      const status = failure instanceof ApiError ? failure.status : 0;
      setError(
        status === 400 || status === 401 || status === 422
          ? t('验证码不正确或已过期，请重新获取', 'The code is wrong or has expired; ask for a new one')
          : failure instanceof ApiError
            ? messageOfProblem(failure.problem, lang).text
            : t('登录失败，请稍后再试', 'Sign-in failed, try again later'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f3f8', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 420 }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
            <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
              {t('阳城县奖励资金项目管理', 'Yangcheng County reward fund')}
            </Typography.Title>
            <Segmented<Lang>
              size="small"
              aria-label={t('界面语言', 'Language')}
              value={lang}
              onChange={(value) => setLang(value)}
              options={[
                { label: '中文', value: 'zh' },
                { label: 'EN', value: 'en' },
              ]}
            />
          </div>
          {error ? <Alert type="error" showIcon message={error} /> : null}
          {email === null ? (
            <Form layout="vertical" onFinish={sendMail} requiredMark={false}>
              <Typography.Paragraph>
                {t('请输入您的工作邮箱，系统将发送一次性登录链接和验证码。', 'Enter your work email; we will send a one-time sign-in link and code.')}
              </Typography.Paragraph>
              <Form.Item
                label={t('邮箱', 'Email')}
                name="email"
                rules={[
                  { required: true, message: t('请输入邮箱', 'Enter your email') },
                  { pattern: EMAIL, message: t('邮箱格式不正确', 'Not an email address') },
                ]}
              >
                <Input type="email" autoComplete="email" autoFocus />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>
                {t('发送登录邮件', 'Send sign-in email')}
              </Button>
            </Form>
          ) : (
            <Form layout="vertical" onFinish={signInWithCode} requiredMark={false}>
              <Alert
                type="success"
                showIcon
                message={t('请查收邮件', 'Check your mail')}
                description={t(
                  `如果 ${email} 是本系统的账号，登录邮件已发出。请点击邮件中的链接，或在下方输入邮件中的 6 位验证码（15 分钟内有效）。`,
                  `If ${email} has an account, a sign-in email is on its way. Click its link, or enter the 6-digit code below (valid for 15 minutes).`,
                )}
              />
              <Form.Item
                label={t('验证码', 'Code')}
                name="code"
                style={{ marginTop: 16 }}
                rules={[
                  { required: true, message: t('请输入验证码', 'Enter the code') },
                  { pattern: /^\d{6}$/, message: t('验证码为 6 位数字', 'The code has 6 digits') },
                ]}
              >
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
              </Form.Item>
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <Button onClick={() => setEmail(null)}>{t('换一个邮箱', 'Use another email')}</Button>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('登录', 'Sign in')}
                </Button>
              </Space>
            </Form>
          )}
        </Space>
      </Card>
    </main>
  );
}
