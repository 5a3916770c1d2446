import { z } from 'zod';

/** One 绩效目标 indicator: below the event schemas and the scoring, which both use it. */

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** 绩效目标 levels and their second levels, as on the declaration form. */
export const INDICATOR_LEVELS = {
  产出: ['数量', '质量', '时效', '成本'],
  效益: ['经济效益', '社会效益', '生态效益', '可持续影响'],
  满意度: ['服务对象满意度'],
} as const;

export const indicatorSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - or _, at most 32'),
    level: z.enum(['产出', '效益', '满意度']),
    subLevel: z.string().min(1),
    name: text(200),
    unit: z.string().trim().max(32).default(''),
    comparator: z.enum(['>=', '<=', '=', 'qualitative']),
    targetValue: z.number().finite().nonnegative().optional(),
    weight: z.number().positive().max(100),
    scoringNote: z.string().max(1000).optional(),
  })
  .superRefine((indicator, ctx) => {
    const subLevels: readonly string[] = INDICATOR_LEVELS[indicator.level];
    if (!subLevels.includes(indicator.subLevel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['subLevel'],
        message: `must be one of ${subLevels.join('/')} for level ${indicator.level}`,
      });
    }
    if (indicator.comparator !== 'qualitative' && indicator.targetValue === undefined) {
      ctx.addIssue({ code: 'custom', path: ['targetValue'], message: 'is required for a quantitative indicator' });
    }
  });

export type Indicator = z.infer<typeof indicatorSchema>;
