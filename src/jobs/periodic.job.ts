import { z } from 'zod';
import { defineJob } from './job-contract.ts';

/** The daily checks (overdue, 双监控 deviation, funds, expired links) and the digests. */
export const DAILY_CHECKS_JOB = defineJob({ name: 'daily-checks', version: 1, queue: 'checks', schema: z.object({}).loose() });

/** The monthly supervision and fund execution reports to the authority role. */
export const MONTHLY_REPORTS_JOB = defineJob({ name: 'monthly-reports', version: 1, queue: 'checks', schema: z.object({}).loose() });
