import type { MonitoringRules } from '../../config/monitoring-rules.ts';
import type { ProjectContext } from './project.types.ts';

export type DeviationLevel = 'green' | 'yellow' | 'red';

export interface DeviationFinding {
  measure: string;
  elapsedPercent: number;
  actualPercent: number;
  behindPoints: number;
  level: DeviationLevel;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export function levelOf(behindPoints: number, rules: MonitoringRules): DeviationLevel {
  if (behindPoints >= rules.redBehindPoints) return 'red';
  if (behindPoints >= rules.yellowBehindPoints) return 'yellow';
  return 'green';
}

/** The share of the project period elapsed on `today`, as a percentage in [0, 100]. */
export function elapsedPercent(periodStart: string, periodEnd: string, today: string): number {
  const total = daysBetween(periodStart, periodEnd);
  if (total <= 0) return 100;
  return Math.min(100, Math.max(0, (daysBetween(periodStart, today) / total) * 100));
}

/**
 * 双监控: each quantitative "at least" indicator's reported completion, and the disbursement rate,
 * against the share of the period elapsed. Yellow when behind by the yellow threshold (percentage
 * points) or more, red at the red threshold.
 */
export function classifyDeviation(context: ProjectContext, today: string, rules: MonitoringRules): DeviationFinding[] {
  const elapsed = elapsedPercent(context.proposal.periodStart, context.proposal.periodEnd, today);
  const finding = (measure: string, actual: number): DeviationFinding => {
    const actualPercent = Math.min(100, Math.max(0, actual));
    const behind = round1(elapsed - actualPercent);
    return { measure, elapsedPercent: round1(elapsed), actualPercent: round1(actualPercent), behindPoints: behind, level: levelOf(behind, rules) };
  };
  const findings: DeviationFinding[] = [];
  for (const indicator of context.proposal.targets) {
    if (indicator.comparator !== '>=' || !indicator.targetValue) continue;
    const value = context.lastProgress?.values[indicator.id] ?? 0;
    findings.push(finding(`indicator:${indicator.id}`, (value / indicator.targetValue) * 100));
  }
  if (context.committedFen > 0) findings.push(finding('disbursement', (context.disbursedFen / context.committedFen) * 100));
  return findings;
}
