import { Route } from 'react-router';
import { AlertsPage, DashboardPage, FundsPage, ReportsPage } from './route-pages.ts';

/** Who reads the county's money and reports (READ_POLICIES in src/domain/authorization.ts). */
export const COUNTY_READERS = ['finance', 'center', 'supervisor', 'leadership', 'authority', 'admin'];

/** The county's pages (issue 13): 总览, 预警, 资金, 报表, as routes under the signed-in layout. */
export function countyRoutes() {
  return [
    <Route key="dashboard" path="dashboard" element={<DashboardPage />} />,
    <Route key="alerts" path="alerts" element={<AlertsPage />} />,
    <Route key="funds" path="funds" element={<FundsPage />} />,
    <Route key="reports" path="reports" element={<ReportsPage />} />,
  ];
}

/** Their menu entries by role: the money and report readers see all four; other staff see 预警 (alerts of their role). */
export function countyMenuItems(role: string, t: (zh: string, en: string) => string) {
  const reader = COUNTY_READERS.includes(role);
  return [
    ...(reader ? [{ key: 'dashboard', to: '/dashboard', text: t('总览', 'Dashboard') }] : []),
    ...(role !== 'applicant' ? [{ key: 'alerts', to: '/alerts', text: t('预警', 'Alerts') }] : []),
    ...(reader ? [{ key: 'funds', to: '/funds', text: t('资金', 'Funds') }] : []),
    ...(reader ? [{ key: 'reports', to: '/reports', text: t('报表', 'Reports') }] : []),
  ];
}

/** The menu key of a county page's path, or null. */
export function countySelectedKey(pathname: string): string | null {
  const first = pathname.split('/')[1] ?? '';
  return ['dashboard', 'alerts', 'funds', 'reports'].includes(first) ? first : null;
}
