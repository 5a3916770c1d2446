import { NOTIFY_JOB } from './notify.job.ts';
import { SCHEDULE_CANCEL_JOB } from './schedule-cancel.job.ts';
import { SCHEDULE_PLAN_JOB } from './schedule-plan.job.ts';
import { SCHEDULE_REPLAN_JOB } from './schedule-replan.job.ts';
import { TASK_CLOSE_JOB } from './task-close.job.ts';
import { TASK_DELEGATED_JOB } from './task-delegated.job.ts';
import { TASK_OPEN_JOB } from './task-open.job.ts';

/** Every topic of the outbox that has a consumer: the relay moves these, the effects worker takes them. */
export const EFFECT_JOBS = [SCHEDULE_PLAN_JOB, SCHEDULE_CANCEL_JOB, SCHEDULE_REPLAN_JOB, TASK_OPEN_JOB, TASK_CLOSE_JOB, TASK_DELEGATED_JOB, NOTIFY_JOB] as const;
export type EffectJob = (typeof EFFECT_JOBS)[number];
export type EffectTopic = EffectJob['name'];
export const EFFECT_TOPICS: readonly EffectTopic[] = EFFECT_JOBS.map((job) => job.name);
