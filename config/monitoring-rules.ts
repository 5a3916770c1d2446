import { z } from 'zod';

/** 双监控: how far behind the elapsed share of the period a project may fall before it is flagged. */
export const monitoringRulesSchema = z.object({
  yellowBehindPoints: z.number().positive().default(10),
  redBehindPoints: z.number().positive().default(20),
  /** Cron (Asia/Shanghai) of the daily checks. */
  dailyChecksCron: z.string().default('0 8 * * *'),
  /** Cron (Asia/Shanghai) of the monthly supervision and fund reports to the authority role. */
  monthlyReportsCron: z.string().default('0 9 1 * *'),
  /** Minutes between reconciler runs. */
  reconcileEveryMinutes: z.int().positive().default(5),
});
export type MonitoringRules = z.infer<typeof monitoringRulesSchema>;
export const DEFAULT_MONITORING_RULES: MonitoringRules = monitoringRulesSchema.parse({});
