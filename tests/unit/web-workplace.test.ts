import { describe, expect, it } from 'vitest';
import type { Task } from '../../web/src/api/types.ts';
import { projectFilterOf, projectFilterParams, projectQueryOf } from '../../web/src/lib/project-filters.ts';
import { appendPage, menuEntries, taskFilterOf, taskQueryOf } from '../../web/src/lib/tasks.ts';
import { BUSINESS_DATE_FORMAT, isBusinessDate } from '../../web/src/lib/business-date-input.ts';

const task = (id: string, kind = 'review'): Task => ({
  id,
  kind,
  dueDate: '2026-12-01',
  projectCode: `YC-2026-05-00${id}`,
  projectTitle: `标题${id}`,
  projectId: id,
  item: 5,
  role: 'center',
  assigneeId: null,
  status: 'open',
  overdue: false,
});

describe('inbox filters and pages', () => {
  it('reads kind, item and search from the URL, leaving out what the API would refuse', () => {
    expect(taskFilterOf(new URLSearchParams('kind=review&item=5&q=%20YC-2026%20'))).toEqual({ kind: 'review', item: 5, project: 'YC-2026' });
    expect(taskFilterOf(new URLSearchParams('kind=lunch&item=14&q=%20%20'))).toEqual({});
    expect(taskFilterOf(new URLSearchParams('item=2.5'))).toEqual({});
  });

  it('asks the server for open tasks with the filter and the cursor of the last page', () => {
    expect(taskQueryOf({ kind: 'disburse', project: '培训' }, null)).toEqual({ status: 'open', limit: 50, kind: 'disburse', project: '培训' });
    expect(taskQueryOf({ item: 7 }, 'abc', 20)).toEqual({ status: 'open', limit: 20, item: 7, cursor: 'abc' });
  });

  it('appends a further page without showing a task twice', () => {
    expect(appendPage([task('1'), task('2')], [task('2'), task('3')]).map((t) => t.id)).toEqual(['1', '2', '3']);
    expect(appendPage([], [task('1')]).map((t) => t.id)).toEqual(['1']);
  });

  it('lists the menu kinds from the server counts, in the order of the kinds, leaving out zeros', () => {
    const counts = {
      today: '2026-11-30',
      open: 5,
      overdue: 1,
      dueToday: 0,
      byKind: [
        { kind: 'disburse', open: 2, overdue: 0, dueToday: 0 },
        { kind: 'review', open: 3, overdue: 1, dueToday: 0 },
        { kind: 'evaluate', open: 0, overdue: 0, dueToday: 0 },
      ],
    };
    expect(menuEntries(counts)).toEqual([
      { kind: 'review', open: 3 },
      { kind: 'disburse', open: 2 },
    ]);
    expect(menuEntries(null)).toEqual([]);
  });
});

describe('projects list filters in the URL', () => {
  it('round-trips every filter through the URL', () => {
    const filter = { state: 'executing', item: 5, orgId: '0b9f3c1e-7a52-4d7e-9c1a-2f4e6d8b0a11', overdue: true, light: 'red' as const, q: 'YC-2026' };
    expect(projectFilterOf(projectFilterParams(filter))).toEqual(filter);
    expect(projectFilterParams(filter).toString()).toBe('state=executing&item=5&org=0b9f3c1e-7a52-4d7e-9c1a-2f4e6d8b0a11&overdue=true&light=red&q=YC-2026');
  });

  it('leaves out values the API would refuse (a hand-edited link shows the unfiltered list, not an error)', () => {
    expect(projectFilterOf(new URLSearchParams('state=nowhere&item=0&org=42&overdue=yes&light=blue&q=%20'))).toEqual({});
    expect(projectFilterOf(new URLSearchParams('overdue=false'))).toEqual({ overdue: false });
  });

  it('asks the server with the filter, overdue as text, and the cursor', () => {
    expect(projectQueryOf({ overdue: false, light: 'green' }, 'c1', 20)).toEqual({ limit: 20, overdue: 'false', light: 'green', cursor: 'c1' });
    expect(projectQueryOf({}, null)).toEqual({ limit: 50 });
  });
});

describe('date fields', () => {
  it('take only real calendar days written YYYY-MM-DD', () => {
    expect(isBusinessDate('2026-12-05')).toBe(true);
    expect(isBusinessDate('2028-02-29')).toBe(true);
    expect(isBusinessDate('2026-02-30')).toBe(false);
    expect(isBusinessDate('12/05/2026')).toBe(false);
    expect(isBusinessDate('2026-1-5')).toBe(false);
    expect(BUSINESS_DATE_FORMAT).toBe('YYYY-MM-DD');
  });
});
