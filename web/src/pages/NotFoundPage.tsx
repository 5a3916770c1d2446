import { Result } from 'antd';
import { Link } from 'react-router';
import { useLang } from '../i18n.tsx';

export default function NotFoundPage() {
  const { t } = useLang();
  return <Result status="404" title={t('页面不存在', 'Page not found')} extra={<Link to="/">{t('返回我的待办', 'Back to my tasks')}</Link>} />;
}
