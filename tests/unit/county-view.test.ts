import { describe, expect, it } from 'vitest';
import { alertKindOf, ALERT_KINDS } from '../../src/domain/alert-kinds.ts';
import { alertKindName } from '../../src/usecases/alerts/list-alerts.ts';
import { beijingRange } from '../../src/usecases/dashboard/dashboard-access.ts';
import { elapsedPercentOfYear } from '../../src/usecases/dashboard/get-disbursement-pace.ts';

describe('the county view, pure parts', () => {
  it('names every alert kind in Chinese, an overdue one by its deadline, never by its code', () => {
    expect(alertKindName('overdue.inspection.regular')).toEqual({ zh: '定期检查逾期', en: expect.stringContaining('overdue') });
    expect(alertKindName('overdue.task.review').zh).toBe('项目审核逾期');
    expect(alertKindName('deviation.red').zh).toBe('双监控红色预警');
    for (const kind of ALERT_KINDS.filter((k) => k !== 'overdue')) expect(alertKindName(kind).zh).not.toMatch(/[a-z]/);
    expect(alertKindName('something.new').zh).toBe('其他预警');
    expect(alertKindOf('overdue.correction')).toEqual({ kind: 'overdue', deadline: 'correction' });
  });

  it('counts the elapsed share of the Beijing year through the end of today', () => {
    expect(elapsedPercentOfYear('2026-01-01')).toBe(0.3);
    expect(elapsedPercentOfYear('2026-12-31')).toBe(100);
    expect(elapsedPercentOfYear('2024-07-01')).toBe(50); // 183 of 366 days (a leap year)
  });

  it('turns Beijing days into UTC instants for the SQL ranges', () => {
    expect(beijingRange('2026-11-01', '2026-12-01')).toEqual({ from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' });
    expect(new Date(beijingRange('2026-11-01', '2026-11-02').from).toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });
});
