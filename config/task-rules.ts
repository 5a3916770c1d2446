import { z } from 'zod';

/** Days a person has for each kind of task, and how long an email link stays valid. */
export const taskRulesSchema = z.object({
  dueDays: z
    .record(z.string(), z.int().positive())
    .default({
      review: 5,
      disburse: 10,
      'conclude-inspection': 5,
      'verify-correction': 5,
      evaluate: 30,
      're-evaluate': 20,
      'review-evaluation': 15,
      'confirm-stop': 5,
      'decide-suspension': 10,
      'decide-amendment': 10,
    }),
  defaultDueDays: z.int().positive().default(7),
  linkValidDays: z.int().positive().default(7),
});
export type TaskRules = z.infer<typeof taskRulesSchema>;
export const DEFAULT_TASK_RULES: TaskRules = taskRulesSchema.parse({});

/** Which decisions an email link may take for a kind of task, and the event each sends. */
export const LINK_DECISIONS: Record<string, Partial<Record<'approve' | 'reject' | 'return', { event: string; textField?: 'comment' | 'reason' }>>> = {
  review: { approve: { event: 'APPROVE', textField: 'comment' }, reject: { event: 'REJECT', textField: 'comment' }, return: { event: 'RETURN', textField: 'comment' } },
  'review-evaluation': { approve: { event: 'ACCEPT_EVALUATION', textField: 'comment' }, reject: { event: 'REQUEST_REEVALUATION', textField: 'reason' } },
  'decide-amendment': { approve: { event: 'APPROVE_AMENDMENT', textField: 'comment' }, reject: { event: 'REJECT_AMENDMENT', textField: 'reason' } },
  'confirm-stop': { approve: { event: 'CONFIRM_STOP', textField: 'comment' } },
};
