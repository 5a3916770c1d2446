import type { ReactNode } from 'react';

/**
 * A small button in a list row (the inbox's decisions), drawn like antd's small button (app.css).
 * A native button: the inbox shows three in each of its rows, and antd's Button (with its click
 * wave and motion) was the largest single cost of the inbox's first render.
 */
export function RowButton(props: { tone?: 'primary' | 'default' | 'danger'; onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className={`row-button row-button-${props.tone ?? 'default'}`} onClick={props.onClick}>
      {props.children}
    </button>
  );
}
