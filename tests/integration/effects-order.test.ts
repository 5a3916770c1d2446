import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDateOf } from '../../src/domain/business-date.ts';
import { driveTo } from '../support/drive.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';
import type { TestApp } from '../support/test-app.ts';
import { eventually } from '../support/test-workers.ts';
import { startWorkerStack, type WorkerStack } from '../support/worker-stack.ts';

/**
 * Effects can reach the effects worker late and out of order (a retry after a Redis outage, an
 * outbox row relayed again). An older event's effect applied after a newer one must never undo
 * it: each schedule keeps the seq of the event it follows (source_seq). Driven through the real
 * relay and effects worker on real Redis: the newer effects come from real commands, and the
 * older one is the very outbox row of the earlier event, put on the effects queue again.
 */
let stack: WorkerStack;
let app: TestApp;
let api: WorkerStack['api'];
let workers: WorkerStack['workers'];

beforeAll(async () => {
  stack = await startWorkerStack();
  ({ app, api, workers } = stack);
});
afterAll(async () => {
  await stack?.stop();
});

interface ScheduleRow {
  status: string;
  due_date: string;
  generation: number;
  source_seq: number;
  planned: number;
}

async function correctionSchedule(projectId: string): Promise<ScheduleRow | undefined> {
  const [row] = await app.db.query<ScheduleRow>(
    `SELECT s.status, to_char(s.due_date, 'YYYY-MM-DD') AS due_date, s.generation, s.source_seq,
            (SELECT count(*)::int FROM reminders r WHERE r.schedule_id = s.id AND r.status = 'planned') AS planned
       FROM schedules s WHERE s.project_id = $1 AND s.deadline = 'correction'`,
    [projectId],
  );
  return row;
}

async function send(projectId: string, token: string, body: Record<string, unknown> & { type: string }) {
  const answer = await api('POST', `/api/v1/projects/${projectId}/events`, { token, body: await withMaterialsOverHttp(app, projectId, body) });
  expect(answer.status).toBe(200);
  return answer.body as { version: number };
}

/** A project in correction, its correction deadline planned by the worker from the CONCLUDE_INSPECTION event. */
async function inCorrection() {
  const project = await driveTo(app, 'inspected');
  const dueDate = businessDateOf(new Date(app.clock.now().getTime() + 30 * 86_400_000));
  const concluded = await send(project.id, app.users.supervisor.token, { type: 'CONCLUDE_INSPECTION', outcome: 'deviation', correction: '补齐培训签到表', dueDate });
  const planned = await eventually(async () => {
    const row = await correctionSchedule(project.id);
    return row?.source_seq === concluded.version && row;
  }, 'the correction deadline to be planned');
  return { id: project.id, dueDate, planSeq: concluded.version, planned };
}

/**
 * The outbox row the earlier event wrote for the correction, applied again after the newer one, as
 * when its job was lost with Redis before its consumer applied it and the relay handed it over again:
 * the row is marked not applied and relayed under its own job id (its dedupe key), as the relay does.
 * Resolves when the worker has applied it.
 */
async function replayOldEffect(projectId: string, seq: number) {
  const [row] = await app.db.query<{ topic: string; payload: Record<string, unknown>; dedupe_key: string }>(
    `SELECT topic, payload, dedupe_key FROM outbox WHERE project_id = $1 AND event_seq = $2 AND topic = 'schedule.plan' AND payload ->> 'deadline' = 'correction'`,
    [projectId, seq],
  );
  expect(row, 'the earlier event wrote a schedule.plan outbox row for the correction').toBeDefined();
  await app.db.query(`UPDATE outbox SET applied_at = NULL WHERE dedupe_key = $1`, [row!.dedupe_key]);
  await (await workers.queues.effects.getJob(row!.dedupe_key))?.remove();
  const job = await workers.queues.effects.add(row!.topic, row!.payload, { jobId: row!.dedupe_key });
  const state = await eventually(async () => {
    const current = await job.getState();
    return (current === 'completed' || current === 'failed') && current;
  }, 'the replayed effect to be processed');
  expect(state).toBe('completed');
  const [applied] = await app.db.query<{ applied_at: Date | null }>(`SELECT applied_at FROM outbox WHERE dedupe_key = $1`, [row!.dedupe_key]);
  expect(applied!.applied_at, 'the older row was applied again, after the newer one').not.toBeNull();
}

async function delayedJobsOf(projectId: string): Promise<number> {
  const rows = await app.db.query<{ id: string }>(
    `SELECT r.id FROM reminders r JOIN schedules s ON s.id = r.schedule_id WHERE s.project_id = $1 AND s.deadline = 'correction'`,
    [projectId],
  );
  expect(rows.length).toBeGreaterThan(0);
  const ids = new Set(rows.map((row) => row.id));
  const delayed = await workers.queues.reminders.getDelayed();
  return delayed.filter((job) => ids.has(job.id!)).length;
}

describe('an older effect applied after a newer one never undoes it (real relay, effects worker and Redis)', () => {
  it('after an extension, the original plan replayed keeps the extended date and generation', async () => {
    const { id, dueDate, planSeq, planned } = await inCorrection();
    expect(planned).toMatchObject({ status: 'active', due_date: dueDate, generation: 1 });
    const newDate = businessDateOf(new Date(Date.parse(`${dueDate}T04:00:00Z`) + 20 * 86_400_000));
    const extended = await send(id, app.users.supervisor.token, { type: 'EXTEND_DEADLINE', deadline: 'correction', newDate, reason: '疫情延期' });
    const afterExtension = await eventually(async () => {
      const row = await correctionSchedule(id);
      return row?.source_seq === extended.version && row;
    }, 'the extension to be applied');
    expect(afterExtension).toMatchObject({ status: 'active', due_date: newDate, generation: 2 });

    await replayOldEffect(id, planSeq);
    expect(await correctionSchedule(id)).toEqual(afterExtension);
  });

  it('after the correction is accepted (cancelled), the original plan replayed plans nothing and queues nothing', async () => {
    const { id, planSeq } = await inCorrection();
    await send(id, app.users.applicant.token, { type: 'SUBMIT_CORRECTION', text: '已整改' });
    const accepted = await send(id, app.users.inspector.token, { type: 'ACCEPT_CORRECTION' });
    const cancelled = await eventually(async () => {
      const row = await correctionSchedule(id);
      return row?.status === 'cancelled' && row.source_seq === accepted.version && row;
    }, 'the correction deadline to be cancelled');
    expect(cancelled.planned).toBe(0);
    expect(await delayedJobsOf(id)).toBe(0);

    await replayOldEffect(id, planSeq);
    expect(await correctionSchedule(id)).toEqual(cancelled);
    expect(await delayedJobsOf(id)).toBe(0);
  });
});
