import { Badge, Button, Grid, Layout, Menu, Segmented, Space, Typography } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useSearchParams } from 'react-router';
import { Loading } from './components/Loading.tsx';
import { useLang } from './i18n.tsx';
import { roleName, taskKindName, type Lang } from './lib/labels.ts';
import { menuEntries } from './lib/tasks.ts';
import { adminMenuLabel } from './pages/admin/admin-menu.ts';
import { useSession } from './session.tsx';
import { TasksContext, useTaskCountsLoader } from './tasks-context.tsx';
import { countyMenuItems, countySelectedKey } from './county-routes.tsx';

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
  const wide = Grid.useBreakpoint().md !== false;

  // My task counts per kind come from the server (GET /api/v1/tasks/counts), not from a first page of tasks.
  const tasks = useTaskCountsLoader();
  const { error } = tasks;
  const kind = params.get('kind');
  const selected = countySelectedKey(location.pathname) ?? (location.pathname === '/' ? (kind ? `kind:${kind}` : 'inbox') : location.pathname.startsWith('/proposals/new') ? 'new' : location.pathname.startsWith('/admin') ? 'admin' : 'projects');

  const items = [
    {
      key: 'inbox',
      label: (
        <Link to="/">
          {t('我的待办', 'My tasks')} <Badge count={tasks.counts?.open ?? 0} showZero={false} overflowCount={999} style={{ marginInlineStart: 6 }} />
        </Link>
      ),
    },
    ...menuEntries(tasks.counts).map(({ kind: taskKind, open: count }) => ({
        key: `kind:${taskKind}`,
        label: (
          <Link to={`/?kind=${encodeURIComponent(taskKind)}`} style={{ paddingInlineStart: 16 }}>
            {taskKindName(taskKind, lang)}（{count}）
          </Link>
        ),
      })),
    { key: 'projects', label: <Link to="/projects">{t('项目', 'Projects')}</Link> },
    ...countyMenuItems(user.role, t),
    ...(user.role === 'applicant' ? [{ key: 'new', label: <Link to="/proposals/new">{t('申报', 'New proposal')}</Link> }] : []),
    ...(adminMenuLabel(user.role, lang) ? [{ key: 'admin', label: <Link to="/admin">{adminMenuLabel(user.role, lang)}</Link> }] : []),
  ];

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
        {wide ? null : (
          <nav aria-label={t('主菜单', 'Main menu')}>
            {/* disabledOverflow: the entries wrap; antd's "…" overflow keeps hidden copies that are still focusable (axe aria-hidden-focus). */}
            <Menu mode="horizontal" disabledOverflow selectedKeys={[selected]} items={items} />
          </nav>
        )}
        <Layout>
          {wide ? (
            <Sider width={220} theme="light">
              <nav aria-label={t('主菜单', 'Main menu')}>
                <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
              </nav>
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
