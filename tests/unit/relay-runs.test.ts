import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/store/outbox.store.ts';
import { jobsForRows } from '../../src/usecases/effects/relay-outbox.ts';

const row = (id: number, topic: string): OutboxRow => ({
  id,
  project_id: null,
  event_seq: null,
  topic,
  payload: { n: id },
  dedupe_key: `k${id}`,
  relayed_at: null,
  applied_at: null,
  attempts: 0,
});

describe('the relay hands runs of consecutive schedule plans and replans over as one job', () => {
  it('groups consecutive plans and replans up to the run size, in outbox order; every other row, and a run of one, is its own job', () => {
    const rows = [
      row(1, 'task.open'),
      row(2, 'schedule.plan'),
      row(3, 'schedule.replan'),
      row(4, 'schedule.plan'),
      row(5, 'schedule.cancel'),
      row(6, 'schedule.plan'),
      row(7, 'notify'),
      row(8, 'schedule.plan'),
      row(9, 'schedule.plan'),
      row(10, 'schedule.plan'),
    ];
    const jobs = jobsForRows(rows, 2);
    expect(jobs.map((job) => [job.name, job.opts.jobId, job.data])).toEqual([
      ['task.open', 'k1', { n: 1 }],
      ['schedule.run', 'schedule-run.k2.2', { keys: ['k2', 'k3'] }],
      ['schedule.plan', 'k4', { n: 4 }],
      ['schedule.cancel', 'k5', { n: 5 }],
      ['schedule.plan', 'k6', { n: 6 }],
      ['notify', 'k7', { n: 7 }],
      ['schedule.run', 'schedule-run.k8.2', { keys: ['k8', 'k9'] }],
      ['schedule.plan', 'k10', { n: 10 }],
    ]);
    // Run size 1: every row its own job, as the relay sends rows again.
    expect(jobsForRows(rows, 1).map((job) => job.opts.jobId)).toEqual(rows.map((r) => r.dedupe_key));
  });
});
