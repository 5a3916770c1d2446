import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { LangContext, storedLang, storeLang } from './i18n.tsx';
import type { Lang } from './lib/labels.ts';
import { Loading } from './components/Loading.tsx';
import { RequireSession } from './RequireSession.tsx';
import { countyRoutes } from './county-routes.tsx';
import { AdminPage, AppLayout, InboxPage, NotFoundPage, ProjectPage, ProjectsPage, ProposalPage, SignInPage } from './route-pages.ts';

/**
 * Chinese fonts by name, before the Latin ones: with antd's Latin-first list the browser looks up a
 * fallback font for each Chinese character, which on Linux desktops (统信 UOS, 麒麟) is a large part
 * of a page's first layout.
 */
const FONT_FAMILY =
  "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'WenQuanYi Zen Hei', -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/**
 * antd's default greys, link blue and danger red fall short of WCAG AA contrast (axe, 4.5:1 on
 * white); these tokens keep the look and pass.
 */
const THEME = {
  // antd's styles come from its prebuilt antd.css (main.tsx) instead of being generated in the browser
  // for every component on every page load: about a third of the inbox's script time.
  zeroRuntime: true,
  token: {
    colorPrimary: '#1557b0',
    colorInfo: '#1557b0',
    colorLink: '#1557b0',
    colorError: '#c21f1f',
    colorTextSecondary: '#595959',
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    colorTextQuaternary: '#6b6b6b',
    colorTextPlaceholder: '#6b6b6b',
    borderRadius: 4,
    fontFamily: FONT_FAMILY,
  },
};

export function App() {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const context = useMemo(
    () => ({
      lang,
      setLang: (next: Lang) => {
        storeLang(next);
        setLangState(next);
      },
    }),
    [lang],
  );
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  return (
    <LangContext.Provider value={context}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={THEME}>
        <AntApp>
          <BrowserRouter>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/sign-in" element={<SignInPage />} />
                <Route element={<RequireSession />}>
                  <Route element={<AppLayout />}>
                    <Route index element={<InboxPage />} />
                    <Route path="projects" element={<ProjectsPage />} />
                    <Route path="projects/:ref" element={<ProjectPage />} />
                    <Route path="projects/:ref/edit" element={<ProposalPage />} />
                    <Route path="proposals/new" element={<ProposalPage />} />
                    <Route path="admin" element={<AdminPage />} />
                    {countyRoutes()}
                    <Route path="*" element={<NotFoundPage />} />
                  </Route>
                </Route>
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </LangContext.Provider>
  );
}
