import { z } from 'zod';
import { ROLES } from './roles.ts';

/**
 * Who is reminded of each deadline, when, and who an overdue deadline escalates to. Offsets are in
 * days relative to the due date; reminders go out at `sendHour` o'clock Asia/Shanghai.
 */
const role = z.enum(ROLES);

export const reminderPolicySchema = z.object({
  audience: z.array(role).min(1),
  escalateTo: z.array(role).default(['supervisor']),
  beforeDays: z.array(z.int().positive()).default([7, 1]),
  onDay: z.boolean().default(true),
  overdueEveryDays: z.int().positive().default(3),
  overdueCount: z.int().min(0).default(4),
  /** The overdue reminders from this one on (1 = the first) also go to escalateTo. */
  escalateFromOverdue: z.int().positive().default(1),
});
export type ReminderPolicy = z.infer<typeof reminderPolicySchema>;

import { DEADLINES } from '../src/domain/vocabulary.ts';

/** The deadlines are words of the vocabulary (src/domain/vocabulary.ts). */
export { DEADLINES, type Deadline } from '../src/domain/vocabulary.ts';

export const reminderPoliciesSchema = z.object({
  sendHour: z.int().min(0).max(23).default(9),
  policies: z
    .object({
      'inspection.regular': reminderPolicySchema.prefault({ audience: ['inspector'] }),
      // Applicants never see unannounced inspections.
      'inspection.unannounced': reminderPolicySchema.prefault({ audience: ['inspector'], beforeDays: [3] }),
      'progress.report': reminderPolicySchema.prefault({ audience: ['applicant'] }),
      correction: reminderPolicySchema.prefault({ audience: ['applicant'] }),
      evaluation: reminderPolicySchema.prefault({ audience: ['evaluator'] }),
      'finance.review': reminderPolicySchema.prefault({ audience: ['finance'], escalateTo: ['leadership'] }),
    })
    .prefault({}),
});
export type ReminderPolicies = z.infer<typeof reminderPoliciesSchema>;
export const DEFAULT_REMINDER_POLICIES: ReminderPolicies = reminderPoliciesSchema.parse({});
