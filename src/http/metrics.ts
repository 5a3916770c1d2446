import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({
    name: 'fundflow_commands_total',
    help: 'Commands applied to projects, by event type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const commandSeconds = new Histogram({
    name: 'fundflow_command_duration_seconds',
    help: 'Time to apply one command, from request to committed answer',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, commands, commandSeconds };
}

export type Metrics = ReturnType<typeof createMetrics>;
