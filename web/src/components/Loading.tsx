import { Spin } from 'antd';

export function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status" aria-live="polite" aria-label="加载中">
      <Spin />
    </div>
  );
}
