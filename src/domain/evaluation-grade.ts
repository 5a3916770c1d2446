/** 绩效评价等级. */
export type Grade = '优' | '良' | '中' | '差';

/** 优 ≥ 90, 良 80 to < 90, 中 60 to < 80, 差 < 60 (财预〔2020〕10号). */
export function gradeOf(totalScore: number): Grade {
  if (totalScore >= 90) return '优';
  if (totalScore >= 80) return '良';
  if (totalScore >= 60) return '中';
  return '差';
}

/** Sums indicator scores to two decimals, in hundredths to keep the sum exact. */
export function totalScoreOf(scores: readonly { score: number }[]): number {
  const hundredths = scores.reduce((sum, { score }) => sum + Math.round(score * 100), 0);
  return hundredths / 100;
}
