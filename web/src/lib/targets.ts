import { INDICATOR_LEVELS, type Indicator } from '../../../machines/project.schemas.ts';

export type Level = keyof typeof INDICATOR_LEVELS;
export const LEVELS = Object.keys(INDICATOR_LEVELS) as Level[];

export interface WeightCheck {
  total: number;
  ok: boolean;
  /** What to tell the applicant while typing. */
  message: string;
  byLevel: Record<Level, number>;
}

/** Weights of the targets must total 100 (SUBMIT's rule); summed in hundredths so 33.33 + 66.67 is exactly 100. */
export function checkWeights(targets: readonly Pick<Indicator, 'level' | 'weight'>[]): WeightCheck {
  const byLevelH: Record<Level, number> = { 产出: 0, 效益: 0, 满意度: 0 };
  for (const target of targets) {
    const weight = Number(target.weight);
    if (Number.isFinite(weight)) byLevelH[target.level] += Math.round(weight * 100);
  }
  const totalH = LEVELS.reduce((sum, level) => sum + byLevelH[level], 0);
  const total = totalH / 100;
  const byLevel = { 产出: byLevelH.产出 / 100, 效益: byLevelH.效益 / 100, 满意度: byLevelH.满意度 / 100 };
  if (targets.length === 0) return { total, ok: false, message: '请至少填写一项绩效指标', byLevel };
  if (totalH === 10_000) return { total, ok: true, message: '权重合计 100，符合要求', byLevel };
  const gap = Math.abs(10_000 - totalH) / 100;
  return { total, ok: false, message: `权重合计 ${total}，还${totalH < 10_000 ? '差' : '多'} ${gap}，须等于 100`, byLevel };
}

/** A fresh indicator id that is not yet used (OUT1, EFF2, SAT1 ...). */
export function nextIndicatorId(level: Level, used: readonly string[]): string {
  const prefix = level === '产出' ? 'OUT' : level === '效益' ? 'EFF' : 'SAT';
  for (let n = 1; ; n += 1) {
    const id = `${prefix}${n}`;
    if (!used.includes(id)) return id;
  }
}
