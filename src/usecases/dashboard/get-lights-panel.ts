import type { Actor } from '../../../machines/project.types.ts';
import { addDays } from '../../domain/business-date.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { DAILY_CHECKS_JOB } from '../../jobs/periodic.job.ts';
import { latestPeriodicRun, projectLights } from '../../store/dashboard.store.ts';
import { beijingRange, requireDashboardReader } from './dashboard-access.ts';

/**
 * 双监控 lights as the daily check computed them (src/usecases/checks/run-daily-checks.ts
 * classifies every executing project with src/domain/deviation.ts and raises a yellow or red
 * deviation alert): a project's light is the worst alert of the latest run, none being green. Read
 * from what the check recorded, never recomputed here, so the dashboard and the alerts agree.
 * Before the first run there are no lights (checkedOn null).
 */
export async function getLightsPanel(deps: EngineDeps, actor: Actor, limit = 200) {
  requireDashboardReader(actor.role);
  const checkedOn = await latestPeriodicRun(deps.db, DAILY_CHECKS_JOB.name);
  if (!checkedOn) return { checkedOn: null, counts: { green: 0, yellow: 0, red: 0 }, byItem: [], flagged: [] };
  const day = beijingRange(checkedOn, addDays(checkedOn, 1));
  const rows = await projectLights(deps.db, 'executing', day.from, day.to);
  const lightOf = (row: (typeof rows)[number]) => row.light ?? 'green';
  const counts = { green: 0, yellow: 0, red: 0 };
  const byItem = new Map<number, { green: number; yellow: number; red: number }>();
  for (const row of rows) {
    counts[lightOf(row)] += 1;
    const item = byItem.get(row.item) ?? { green: 0, yellow: 0, red: 0 };
    item[lightOf(row)] += 1;
    byItem.set(row.item, item);
  }
  const flagged = rows
    .filter((row) => row.light)
    .sort((a, b) => (a.light === b.light ? a.code.localeCompare(b.code) : a.light === 'red' ? -1 : 1))
    .slice(0, limit)
    .map((row) => ({ projectId: row.project_id, code: row.code, title: row.title, item: row.item, light: row.light! }));
  return { checkedOn, counts, byItem: [...byItem].map(([item, lights]) => ({ item, ...lights })).sort((a, b) => a.item - b.item), flagged };
}
