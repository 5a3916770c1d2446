import { Button } from 'antd';
import { useLang } from '../i18n.tsx';

/** A dialog's cancel and confirm buttons (the action dialogs and the evaluation form). */
export function Footer(props: { busy: boolean; label: string; danger?: boolean; onCancel: () => void }) {
  const { t } = useLang();
  return (
    <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
      <Button onClick={props.onCancel}>{t('取消', 'Cancel')}</Button>
      <Button type="primary" danger={props.danger} htmlType="submit" loading={props.busy}>
        {t(`确认${props.label}`, props.label)}
      </Button>
    </div>
  );
}

