import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { LangContext, storedLang, storeLang } from './i18n.tsx';
import type { Lang } from './lib/labels.ts';
import { Loading } from './components/Loading.tsx';
import { RequireSession } from './RequireSession.tsx';

const SignInPage = lazy(() => import('./pages/SignInPage.tsx'));
const AppLayout = lazy(() => import('./AppLayout.tsx'));
const InboxPage = lazy(() => import('./pages/InboxPage.tsx'));
const ProjectsPage = lazy(() => import('./pages/ProjectsPage.tsx'));
const ProjectPage = lazy(() => import('./pages/ProjectPage.tsx'));
const ProposalPage = lazy(() => import('./pages/ProposalPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));

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
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1557b0', borderRadius: 4 } }}>
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
