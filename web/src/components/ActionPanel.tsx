import { Button, Empty, Space } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ProjectEventType } from '../../../machines/project.schemas.ts';
import type { ProjectView } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { eventName } from '../lib/labels.ts';
import type { MoneySummary } from '../lib/money.ts';

const loadEventModal = () => import('./EventModal.tsx');
const EventModal = lazy(loadEventModal);

export const DANGER_EVENTS = new Set(['REJECT', 'STOP', 'CONFIRM_STOP', 'SUSPEND', 'WITHDRAW', 'REJECT_CORRECTION', 'REJECT_AMENDMENT']);

/** Exactly the caller's allowedEvents, each opening its own dialog (EventModal.tsx). */
export function ActionPanel(props: { project: ProjectView; money: MoneySummary; onChanged: () => void }) {
  const { lang, t } = useLang();
  const navigate = useNavigate();
  const [open, setOpen] = useState<ProjectEventType | null>(null);
  const events = props.project.allowedEvents;
  // The dialogs' code loads once the page is idle, so the first click opens its dialog at once.
  useEffect(() => {
    if (!events.length) return;
    const start = () => void loadEventModal().catch(() => {});
    if ('requestIdleCallback' in window) {
      const handle = window.requestIdleCallback(start, { timeout: 3000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(start, 500);
    return () => clearTimeout(timer);
  }, [events.length]);

  if (!events.length) return <Empty description={t('您当前没有可办理的操作', 'Nothing for you to do now')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {events.map((type) =>
          type === 'UPDATE_PROPOSAL' ? (
            <Button key={type} onClick={() => navigate(`/projects/${encodeURIComponent(props.project.code)}/edit`)}>
              {eventName(type, lang)}
            </Button>
          ) : (
            <Button key={type} type={DANGER_EVENTS.has(type) ? 'default' : 'primary'} danger={DANGER_EVENTS.has(type)} onClick={() => setOpen(type)}>
              {eventName(type, lang)}
            </Button>
          ),
        )}
      </Space>
      {open ? (
        <Suspense fallback={null}>
          <EventModal
            type={open}
            project={props.project}
            money={props.money}
            onClose={(changed) => {
              setOpen(null);
              if (changed) props.onChanged();
            }}
          />
        </Suspense>
      ) : null}
    </Space>
  );
}
