import type { ReminderPolicy } from '../../config/reminder-policies.ts';
import { addDays } from './business-date.ts';

export interface PlannedReminder {
  id: string;
  offsetDays: number;
  fireAt: string;
  escalate: boolean;
  audience: string[];
}

/** The instant of `hour` o'clock Asia/Shanghai (UTC+8, no daylight saving) on a business date. */
export function shanghaiInstant(date: string, hour: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour - 8)).toISOString();
}

/**
 * The whole reminder sequence of one deadline: before it, on the day, then every few days
 * overdue, the overdue ones escalating. Ids are deterministic and free of ':' (they are BullMQ
 * job ids), and change with the generation, so a rescheduled sequence never reuses an old id.
 */
export function planReminders(scheduleId: string, generation: number, dueDate: string, policy: ReminderPolicy, sendHour: number): PlannedReminder[] {
  const offsets: { offset: number; escalate: boolean }[] = [
    ...[...new Set(policy.beforeDays)].sort((a, b) => b - a).map((days) => ({ offset: -days, escalate: false })),
    ...(policy.onDay ? [{ offset: 0, escalate: false }] : []),
    ...Array.from({ length: policy.overdueCount }, (_, i) => ({
      offset: (i + 1) * policy.overdueEveryDays,
      escalate: i + 1 >= policy.escalateFromOverdue,
    })),
  ];
  return offsets.map(({ offset, escalate }) => ({
    id: `rem-${scheduleId}-g${generation}-d${offset < 0 ? 'm' : 'p'}${Math.abs(offset)}`,
    offsetDays: offset,
    fireAt: shanghaiInstant(addDays(dueDate, offset), sendHour),
    escalate,
    audience: escalate ? [...new Set([...policy.audience, ...policy.escalateTo])] : [...policy.audience],
  }));
}
