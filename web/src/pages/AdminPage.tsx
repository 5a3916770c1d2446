import { Space, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useLang } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { adminMenuLabel, adminTabsOf, type AdminTab } from './admin/admin-menu.ts';
import { BeneficiariesTab } from './admin/BeneficiariesTab.tsx';
import { OrgsTab } from './admin/OrgsTab.tsx';
import { RulesTab } from './admin/RulesTab.tsx';
import { TokensTab } from './admin/TokensTab.tsx';
import { UsersTab } from './admin/UsersTab.tsx';

/**
 * 人员与单位 (/admin): people, units, API tokens (admins); the beneficiary registry (center,
 * finance, admins); the rules in force (all staff). The tab and the token holder are in the address.
 */
export default function AdminPage() {
  const { lang, t } = useLang();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const tabs = adminTabsOf(user.role);
  const requested = params.get('tab') as AdminTab | null;
  const tab = requested && tabs.includes(requested) ? requested : tabs[0];
  const tokenUser = params.get('user');
  const go = (next: AdminTab, extra: Record<string, string> = {}) => setParams({ tab: next, ...extra }, { replace: false });

  if (!tab) {
    return <Typography.Paragraph>{t('此页面仅供县里工作人员使用。', 'This page is for county staff.')}</Typography.Paragraph>;
  }
  const names: Record<AdminTab, string> = {
    users: t('人员', 'People'),
    orgs: t('单位', 'Units'),
    tokens: t('API 令牌', 'API tokens'),
    beneficiaries: t('受益企业登记', 'Beneficiary registry'),
    rules: t('规则', 'Rules'),
  };
  const content: Record<AdminTab, () => React.ReactNode> = {
    users: () => <UsersTab onTokens={(userId) => go('tokens', { user: userId })} />,
    orgs: () => <OrgsTab />,
    tokens: () => <TokensTab userId={tokenUser} onUser={(userId) => go('tokens', { user: userId })} />,
    beneficiaries: () => <BeneficiariesTab />,
    rules: () => <RulesTab />,
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {adminMenuLabel(user.role, lang)}
        </Typography.Title>
        {user.role === 'admin' ? (
          // A full page load: the board is server-rendered (Bull Board), outside these pages.
          <a href="/admin/queues" target="_blank" rel="noreferrer">
            {t('队列看板（只读）', 'Queue board (read-only)')}
          </a>
        ) : null}
      </Space>
      <Tabs activeKey={tab} onChange={(key) => go(key as AdminTab)} destroyOnHidden items={tabs.map((key) => ({ key, label: names[key], children: key === tab ? content[key]() : null }))} />
    </Space>
  );
}
