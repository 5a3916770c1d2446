import { Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { DEFAULT_LIFECYCLE_RULES } from '../../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../../machines/project.machine.ts';
import { useLang } from '../i18n.tsx';
import { eventName, stateName } from '../lib/labels.ts';
import { activePaths, exitsOf, stateMapOf, type StateBox } from '../lib/state-map.ts';

const machine = createProjectMachine(DEFAULT_LIFECYCLE_RULES);

/** The lifecycle states generated from the machine, the current one highlighted, and where it can go next. */
export function StateDiagram({ state }: { state: string }) {
  const { lang, t } = useLang();
  const boxes = useMemo(() => stateMapOf(machine), []);
  const active = new Set(activePaths(state));
  const exits = useMemo(() => exitsOf(machine, state), [state]);

  const box = (node: StateBox) => {
    const current = node.path === state || (active.has(node.path) && node.children.length === 0);
    const onPath = active.has(node.path);
    return (
      <div
        key={node.path}
        data-state={node.path}
        aria-current={current ? 'step' : undefined}
        style={{
          border: `2px solid ${onPath ? '#1557b0' : '#d9d9d9'}`,
          background: current ? '#1557b0' : onPath ? '#e6f0ff' : '#fff',
          color: current ? '#fff' : '#1f1f1f',
          borderRadius: 6,
          padding: '6px 10px',
          minWidth: 96,
        }}
      >
        <div style={{ fontWeight: onPath ? 600 : 400 }}>
          {stateName(node.path, lang)}
          {current ? t('（当前）', ' (now)') : ''}
        </div>
        {node.children.length ? (
          <div style={{ display: 'flex', gap: 4, marginTop: 4, flexWrap: 'wrap' }}>
            {node.children.map((child) => {
              const here = child.path === state;
              return (
                <span
                  key={child.path}
                  data-state={child.path}
                  aria-current={here ? 'step' : undefined}
                  style={{
                    fontSize: 12,
                    padding: '1px 6px',
                    borderRadius: 4,
                    border: `1px solid ${here ? '#1557b0' : '#bfbfbf'}`,
                    background: here ? '#1557b0' : '#fff',
                    color: here ? '#fff' : '#434343',
                  }}
                >
                  {stateName(child.path, lang)}
                  {here ? t('（当前）', ' (now)') : ''}
                </span>
              );
            })}
          </div>
        ) : null}
      </div>
    );
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <div role="list" aria-label={t('项目状态图', 'State diagram')} style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'stretch' }}>
        {boxes.map((node) => (
          <div role="listitem" key={node.path} style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
            {box(node)}
          </div>
        ))}
      </div>
      {exits.length ? (
        <Typography.Text type="secondary">
          {t('当前状态可转入：', 'From here: ')}
          {exits
            .filter((exit) => exit.target !== state)
            .map((exit) => (
              <Tag key={`${exit.event}>${exit.target}`} style={{ marginBottom: 4 }}>
                {eventName(exit.event, lang)} → {stateName(exit.target, lang)}
              </Tag>
            ))}
        </Typography.Text>
      ) : null}
    </Space>
  );
}
