import type { Queue } from 'bullmq';
import type { MonitoringRules } from '../../../config/monitoring-rules.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import { DAILY_CHECKS_JOB, MONTHLY_REPORTS_JOB } from '../../jobs/periodic.job.ts';
import { periodicRunStatus } from '../../store/periodic-runs.store.ts';
import type { Database } from '../effects/effect-deps.ts';
import { previousMonth } from '../reports/send-monthly-reports.ts';

const RETRIES = { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } };

/**
 * Keeps the periodic jobs alive whatever Redis lost: (re)creates their job schedulers (idempotent),
 * and runs now a period whose slot has passed without a recorded run (its job went with a FLUSHALL
 * or a failover), under a job id of that period, so it runs once. Only on a database where the job
 * ran before: a first start does not send last month's report at once.
 */
export async function keepPeriodicJobs(db: Database, queue: Queue, rules: MonitoringRules, now: Date): Promise<string[]> {
  await queue.upsertJobScheduler(DAILY_CHECKS_JOB.name, { pattern: rules.dailyChecksCron, tz: 'Asia/Shanghai' }, { name: DAILY_CHECKS_JOB.name, opts: RETRIES });
  await queue.upsertJobScheduler(MONTHLY_REPORTS_JOB.name, { pattern: rules.monthlyReportsCron, tz: 'Asia/Shanghai' }, { name: MONTHLY_REPORTS_JOB.name, opts: RETRIES });
  const today = businessDateOf(now);
  const started: string[] = [];
  const dailyNext = (await queue.getJobScheduler(DAILY_CHECKS_JOB.name))?.next;
  // The next run is on a later day: today's slot has passed.
  if (dailyNext !== undefined && businessDateOf(new Date(dailyNext)) > today) {
    const status = await periodicRunStatus(db, DAILY_CHECKS_JOB.name, today);
    if (!status.ran && status.everRan) {
      await queue.add(DAILY_CHECKS_JOB.name, {}, { ...RETRIES, jobId: `${DAILY_CHECKS_JOB.name}.catch-up.${today}` });
      started.push(`${DAILY_CHECKS_JOB.name} ${today}`);
    }
  }
  const monthlyNext = (await queue.getJobScheduler(MONTHLY_REPORTS_JOB.name))?.next;
  if (monthlyNext !== undefined && businessDateOf(new Date(monthlyNext)).slice(0, 7) > today.slice(0, 7)) {
    const period = previousMonth(today).label;
    const status = await periodicRunStatus(db, MONTHLY_REPORTS_JOB.name, period);
    if (!status.ran && status.everRan) {
      await queue.add(MONTHLY_REPORTS_JOB.name, {}, { ...RETRIES, jobId: `${MONTHLY_REPORTS_JOB.name}.catch-up.${period}` });
      started.push(`${MONTHLY_REPORTS_JOB.name} ${period}`);
    }
  }
  return started;
}
