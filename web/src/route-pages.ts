import { routePage } from './lib/route-page.ts';

/** Every page in its own chunk (the inbox's first load stays small), loaded as it is opened. */
export const SignInPage = routePage(() => import('./pages/SignInPage.tsx'));
export const AppLayout = routePage(() => import('./AppLayout.tsx'));
export const InboxPage = routePage(() => import('./pages/InboxPage.tsx'));
export const ProjectsPage = routePage(() => import('./pages/ProjectsPage.tsx'));
export const ProjectPage = routePage(() => import('./pages/ProjectPage.tsx'));
export const ProposalPage = routePage(() => import('./pages/ProposalPage.tsx'));
export const NotFoundPage = routePage(() => import('./pages/NotFoundPage.tsx'));
export const AdminPage = routePage(() => import('./pages/AdminPage.tsx'));
export const DashboardPage = routePage(() => import('./pages/DashboardPage.tsx'));
export const AlertsPage = routePage(() => import('./pages/AlertsPage.tsx'));
export const FundsPage = routePage(() => import('./pages/FundsPage.tsx'));
export const ReportsPage = routePage(() => import('./pages/ReportsPage.tsx'));

const SIGNED_IN_PAGES: [RegExp, { preload: () => Promise<void> }][] = [
  [/^\/$/, InboxPage],
  [/^\/projects\/?$/, ProjectsPage],
  [/^\/projects\/[^/]+\/edit\/?$/, ProposalPage],
  [/^\/projects\/[^/]+\/?$/, ProjectPage],
  [/^\/proposals\/new\/?$/, ProposalPage],
  [/^\/admin\/?$/, AdminPage],
  [/^\/dashboard\/?$/, DashboardPage],
  [/^\/alerts\/?$/, AlertsPage],
  [/^\/funds\/?$/, FundsPage],
  [/^\/reports\/?$/, ReportsPage],
];

/**
 * The chunks the address needs, fetched together with the app so that its first render does not
 * wait for them one after another (the layout, then the page); resolves when they are here.
 */
export function preloadPagesFor(pathname: string): Promise<unknown> {
  if (pathname.startsWith('/sign-in')) return SignInPage.preload();
  const page = SIGNED_IN_PAGES.find(([address]) => address.test(pathname))?.[1] ?? NotFoundPage;
  return Promise.all([AppLayout.preload(), page.preload()]);
}
