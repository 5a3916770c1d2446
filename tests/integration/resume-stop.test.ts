import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, businessDateOf } from '../../src/domain/business-date.ts';
import { driveTo } from '../support/drive.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';
import type { TestApp } from '../support/test-app.ts';
import { eventually } from '../support/test-workers.ts';
import { startWorkerStack, type WorkerStack } from '../support/worker-stack.ts';

/**
 * RESUME and STOP through the engine (HTTP commands) and the real relay and effects worker on real
 * Redis: a resume plans the execution deadlines again from the day of the resume while an open
 * correction keeps its date; a confirmed stop cancels every deadline still active, its reminders
 * and their jobs.
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
  deadline: string;
  status: string;
  due_date: string;
  source_seq: number;
  planned: number;
}

async function schedules(projectId: string): Promise<Record<string, ScheduleRow>> {
  const rows = await app.db.query<ScheduleRow>(
    `SELECT s.deadline, s.status, to_char(s.due_date, 'YYYY-MM-DD') AS due_date, s.source_seq,
            (SELECT count(*)::int FROM reminders r WHERE r.schedule_id = s.id AND r.status = 'planned') AS planned
       FROM schedules s WHERE s.project_id = $1`,
    [projectId],
  );
  return Object.fromEntries(rows.map((row) => [row.deadline, row]));
}

async function send(projectId: string, token: string, body: Record<string, unknown> & { type: string }) {
  const answer = await api('POST', `/api/v1/projects/${projectId}/events`, { token, body: await withMaterialsOverHttp(app, projectId, body) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { version: number; state: string };
}

/** Waits until every named deadline follows the event at `seq`. */
async function settledAt(projectId: string, seq: number, deadlines: string[], what: string) {
  return eventually(async () => {
    const rows = await schedules(projectId);
    return deadlines.every((deadline) => rows[deadline]?.source_seq === seq) && rows;
  }, what);
}

/** How many of the project's reminders still have a delayed job on the reminders queue. */
async function queuedJobsOf(projectId: string): Promise<number> {
  const rows = await app.db.query<{ id: string }>('SELECT id FROM reminders WHERE project_id = $1', [projectId]);
  expect(rows.length).toBeGreaterThan(0);
  const ids = new Set(rows.map((row) => row.id));
  return (await workers.queues.reminders.getDelayed()).filter((job) => ids.has(job.id!)).length;
}

describe('RESUME and STOP through the engine and the workers', () => {
  it('a resume re-plans inspection and progress from the day of the resume; the open correction keeps its date', async () => {
    const project = await driveTo(app, 'inspected');
    const correctionDue = addDays(businessDateOf(app.clock.now()), 60);
    const concluded = await send(project.id, app.users.supervisor.token, { type: 'CONCLUDE_INSPECTION', outcome: 'deviation', correction: '补齐培训签到表', dueDate: correctionDue });
    await settledAt(project.id, concluded.version, ['correction'], 'the correction to be planned');

    const suspended = await send(project.id, app.users.supervisor.token, { type: 'SUSPEND', reason: '严重偏离' });
    const held = await settledAt(project.id, suspended.version, ['inspection.regular', 'progress.report', 'correction'], 'the suspension to cancel the deadlines');
    for (const deadline of ['inspection.regular', 'progress.report', 'correction']) expect(held[deadline]).toMatchObject({ status: 'cancelled', planned: 0 });

    // Ten days later the project resumes: execution deadlines count from today, not from before the suspension.
    app.clock.advanceDays(10);
    const today = businessDateOf(app.clock.now());
    const resumed = await send(project.id, app.users.supervisor.token, { type: 'RESUME', reason: '已整改到位' });
    expect(resumed.state).toBe('deviated-corrected.correcting');
    const after = await settledAt(project.id, resumed.version, ['inspection.regular', 'progress.report', 'correction'], 'the resume to re-plan the deadlines');
    expect(after['inspection.regular']).toMatchObject({ status: 'active', due_date: addDays(today, app.engine.rules.inspectionCadenceDays) });
    expect(after['progress.report']).toMatchObject({ status: 'active', due_date: addDays(today, app.engine.rules.progressReportCadenceDays) });
    expect(after.correction).toMatchObject({ status: 'active', due_date: correctionDue });
    for (const deadline of ['inspection.regular', 'progress.report', 'correction']) expect(after[deadline]!.planned).toBeGreaterThan(0);
    expect(await queuedJobsOf(project.id)).toBeGreaterThan(0);
  });

  it('a confirmed stop cancels every deadline still active, its reminders and their queued jobs', async () => {
    const project = await driveTo(app, 'executing');
    const suspended = await send(project.id, app.users.supervisor.token, { type: 'SUSPEND', reason: '严重偏离' });
    const held = await settledAt(project.id, suspended.version, ['inspection.regular', 'progress.report'], 'the suspension to cancel the execution deadlines');
    // What the suspension leaves active (the unannounced inspection) is what the stop must cancel.
    // (The supervisor's task to decide on the suspended project may be planned too, depending on timing.)
    const stillActive = Object.values(held).filter((row) => row.status === 'active');
    expect(stillActive.map((row) => row.deadline).filter((deadline) => !deadline.startsWith('task.'))).toEqual(['inspection.unannounced']);
    expect(stillActive.find((row) => row.deadline === 'inspection.unannounced')!.planned).toBeGreaterThan(0);
    expect(await queuedJobsOf(project.id)).toBeGreaterThan(0);

    await send(project.id, app.users.supervisor.token, { type: 'STOP', reason: '无法继续' });
    const confirmed = await send(project.id, app.users.finance.token, { type: 'CONFIRM_STOP' });
    expect(confirmed.state).toBe('terminated');
    const stopped = await eventually(async () => {
      const rows = Object.values(await schedules(project.id));
      return rows.every((row) => row.status === 'cancelled') && rows;
    }, 'the stop to cancel every deadline');
    expect(stopped.length).toBeGreaterThanOrEqual(3);
    expect(stopped.find((row) => row.deadline === 'inspection.unannounced')).toMatchObject({ status: 'cancelled', source_seq: confirmed.version, planned: 0 });
    const [reminders] = await app.db.query<{ planned: number; cancelled: number }>(
      `SELECT count(*) FILTER (WHERE status = 'planned')::int AS planned, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled FROM reminders WHERE project_id = $1`,
      [project.id],
    );
    expect(reminders).toMatchObject({ planned: 0 });
    expect(reminders!.cancelled).toBeGreaterThan(0);
    expect(await eventually(async () => (await queuedJobsOf(project.id)) === 0 && 'none', 'the cancelled jobs to leave the queue')).toBe('none');
  });
});
