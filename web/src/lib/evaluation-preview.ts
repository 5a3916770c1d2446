import type { EvaluationRules } from '../../../config/evaluation-rules.ts';
import type { Indicator } from '../../../machines/project.schemas.ts';
import { checkEvaluationInput, scoreEvaluation, type EvaluationInput, type EvaluationScore } from '../../../src/domain/evaluation-scoring.ts';

export interface IndicatorEntry {
  actual?: number | null;
  band?: 'achieved' | 'partly-achieved' | 'not-achieved' | null;
  percent?: number | null;
}

/** Form rows as the evaluator's input: quantitative indicators give actual, qualitative ones band and percent. */
export function evaluationInputOf(targets: readonly Indicator[], entries: Record<string, IndicatorEntry | undefined>): EvaluationInput {
  return {
    indicators: targets.map((indicator) => {
      const entry = entries[indicator.id] ?? {};
      if (indicator.comparator === 'qualitative') {
        return {
          indicatorId: indicator.id,
          ...(entry.band ? { band: entry.band } : {}),
          ...(entry.percent !== null && entry.percent !== undefined ? { percent: Number(entry.percent) } : {}),
        };
      }
      return { indicatorId: indicator.id, ...(entry.actual !== null && entry.actual !== undefined ? { actual: Number(entry.actual) } : {}) };
    }),
  };
}

export type Preview = { ok: true; score: EvaluationScore } | { ok: false; missing: string };

/**
 * The live total and grade: the SAME pure scoring the server runs on SUBMIT_EVALUATION
 * (src/domain/evaluation-scoring.ts), so the preview cannot differ from the recorded score.
 */
export function previewEvaluation(
  targets: readonly Indicator[],
  input: EvaluationInput,
  facts: { committedFen: number; disbursedFen: number },
  rules: EvaluationRules,
): Preview {
  const incomplete = input.indicators.find((entry) => entry.actual === undefined && (entry.band === undefined || entry.percent === undefined));
  if (incomplete) return { ok: false, missing: incomplete.indicatorId };
  const refusal = checkEvaluationInput(targets, input);
  if (refusal !== null) return { ok: false, missing: refusal };
  return { ok: true, score: scoreEvaluation(targets, input, facts, rules) };
}
