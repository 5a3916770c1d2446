import { Button, Layout, Segmented, Space, Typography } from 'antd';
import { Suspense } from 'react';
import { Outlet, useLocation, useSearchParams } from 'react-router';
import { Loading } from './components/Loading.tsx';
import { MainNav, type NavEntry } from './components/MainNav.tsx';
import { useLang } from './i18n.tsx';
import { roleName, taskKindName, type Lang } from './lib/labels.ts';
import { menuEntries } from './lib/tasks.ts';
import { adminMenuLabel } from './pages/admin/admin-menu.ts';
import { useSession } from './session.tsx';
import { TasksContext, useTaskCountsLoader } from './tasks-context.tsx';
import { countyMenuItems, countySelectedKey } from './county-routes.tsx';
import { useWideScreen } from './lib/use-wide-screen.ts';

const { Header, Sider, Content } = Layout;

/** "项目单位，阳城县润城镇人民政府"; the organisation alone when its name already says the role. */
function whoLabel(role: string, org: string | null): string {
  if (!org) return role;
  return org.includes(role.replace(/^县/, '')) ? org : `${role}，${org}`;
}

/** Every signed-in page: the menu (with my task counts per kind), who I am, the language switch and sign-out. */
export default function AppLayout() {
  const { user, signOut } = useSession();
  const { lang, setLang, t } = useLang();
  const location = useLocation();
  const [params] = useSearchParams();
  // At phone width the menu sits under the header (a collapsed side menu would hide it from the keyboard).
  const wide = useWideScreen();

  // My task counts per kind come from the server (GET /api/v1/tasks/counts), not from a first page of tasks.
  const tasks = useTaskCountsLoader();
  const { error } = tasks;
  const kind = params.get('kind');
  const selected = countySelectedKey(location.pathname) ?? (location.pathname === '/' ? (kind ? `kind:${kind}` : 'inbox') : location.pathname.startsWith('/proposals/new') ? 'new' : location.pathname.startsWith('/admin') ? 'admin' : 'projects');

  const entries: NavEntry[] = [
    { key: 'inbox', to: '/', text: t('我的待办', 'My tasks'), badge: tasks.counts?.open ?? 0 },
    ...menuEntries(tasks.counts).map(({ kind: taskKind, open: count }) => ({
      key: `kind:${taskKind}`,
      to: `/?kind=${encodeURIComponent(taskKind)}`,
      text: `${taskKindName(taskKind, lang)}（${count}）`,
      nested: true,
    })),
    { key: 'projects', to: '/projects', text: t('项目', 'Projects') },
    ...countyMenuItems(user.role, t),
    ...(user.role === 'applicant' ? [{ key: 'new', to: '/proposals/new', text: t('申报', 'New proposal') }] : []),
    ...(adminMenuLabel(user.role, lang) ? [{ key: 'admin', to: '/admin', text: adminMenuLabel(user.role, lang)! }] : []),
  ];
  const nav = <MainNav label={t('主菜单', 'Main menu')} entries={entries} selected={selected} horizontal={!wide} />;

  return (
    <TasksContext.Provider value={tasks}>
      <Layout style={{ minHeight: '100vh' }}>
        <Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#0f3d7a', paddingInline: 16, flexWrap: 'wrap', height: 'auto', minHeight: 64 }}>
          <Typography.Text strong style={{ color: '#fff', fontSize: 16, flex: '1 1 auto' }}>
            {t('阳城县奖励资金项目管理', 'Yangcheng County reward fund')}
          </Typography.Text>
          <Space wrap>
            <span style={{ color: '#fff' }} data-testid="whoami">
              {user.name}（{whoLabel(roleName(user.role, lang), user.orgName)}）
            </span>
            <Segmented<Lang>
              size="small"
              aria-label={t('界面语言', 'Language')}
              value={lang}
              onChange={(value) => setLang(value)}
              options={[
                { label: '中文', value: 'zh' },
                { label: 'English', value: 'en' },
              ]}
            />
            <Button size="small" onClick={() => void signOut()}>
              {t('退出登录', 'Sign out')}
            </Button>
          </Space>
        </Header>
        {wide ? null : nav}
        <Layout>
          {wide ? (
            <Sider width={220} theme="light">
              {nav}
            </Sider>
          ) : null}
          <Content style={{ padding: 16, minWidth: 0 }}>
            <main>
              {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
              <Suspense fallback={<Loading />}>
                <Outlet />
              </Suspense>
            </main>
          </Content>
        </Layout>
      </Layout>
    </TasksContext.Provider>
  );
}
