import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/mail/mailer.ts';
import { addDays, businessDateOf } from '../../src/domain/business-date.ts';
import { applyEvent } from '../../src/engine/apply-event.ts';
import { recordDeliveries } from '../../src/store/deliveries.store.ts';
import { takeDueReminders } from '../../src/store/schedules.store.ts';
import { processReminder, RELEVANT_STATES } from '../../src/usecases/reminders/deliver-reminder.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';
import { eventually, startTestWorkers } from '../support/test-workers.ts';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
let sink: SmtpSink;
let workers: Awaited<ReturnType<typeof startTestWorkers>>;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
  sink = new SmtpSink();
  const url = await sink.start();
  workers = await startTestWorkers(app, smtpMailer(url, 'fundflow <noreply@fundflow.test>'));
});
afterAll(async () => {
  await workers?.stop();
  await sink?.stop();
  await app?.close();
  await database?.drop();
});

async function schedule(projectId: string, token = app.users.supervisor.token) {
  return (await api('GET', `/api/v1/projects/${projectId}/schedule`, { token })).body;
}

/** Moves the test clock one day at a time, letting every reminder due by then settle. */
async function liveDays(days: number) {
  for (let day = 0; day < days; day += 1) {
    app.clock.advanceDays(1);
    await workers.reconcile();
    const now = app.clock.now().toISOString();
    await eventually(
      async () => {
        const rows = await app.db.query(`SELECT 1 FROM reminders WHERE status = 'planned' AND fire_at <= $1 LIMIT 1`, [now]);
        return rows.length === 0;
      },
      `reminders due by ${now} to settle`,
    );
  }
}

async function correctionProject(dueInDays: number) {
  const project = await driveTo(app, 'inspected');
  const dueDate = businessDateOf(new Date(app.clock.now().getTime() + dueInDays * 86_400_000));
  const concluded = await api('POST', `/api/v1/projects/${project.id}/events`, {
    token: app.users.supervisor.token,
    body: await withMaterialsOverHttp(app, project.id, { type: 'CONCLUDE_INSPECTION', outcome: 'deviation', correction: '补齐培训签到表', dueDate }),
  });
  expect(concluded.status).toBe(200);
  await eventually(async () => (await schedule(project.id)).deadlines.find((d: { deadline: string }) => d.deadline === 'correction'), 'the correction deadline to be planned');
  return { id: project.id, dueDate };
}

describe('reminders on a clock the test controls, real Redis and a real SMTP server', () => {
  it('14 days into a correction the reminders and the escalation go out in order', async () => {
    // Counted before planning: the first reminder (7 days before a date 7 days away) is due at once.
    const before = sink.received.length;
    const { id, dueDate } = await correctionProject(7);
    const plan = await schedule(id);
    const correction = plan.deadlines.find((d: { deadline: string }) => d.deadline === 'correction');
    expect(correction.dueDate).toBe(dueDate);
    expect(correction.reminders.map((r: { offsetDays: number }) => r.offsetDays)).toEqual([-7, -1, 0, 3, 6, 9, 12]);
    await liveDays(14);
    const mails = sink.received.slice(before).filter((mail) => mail.subject.includes('偏差整改'));
    const applicantMails = mails.filter((mail) => mail.to.includes(app.users.applicant.email));
    const supervisorMails = mails.filter((mail) => mail.to.includes(app.users.supervisor.email));
    // 14 days from planning: before (7 and 1 day), on the day, overdue at 3 and 6 days; 9 and 12 are still ahead.
    expect(applicantMails.map((mail) => mail.subject.slice(0, 12))).toEqual(['【阳城县奖励资金】提醒：', '【阳城县奖励资金】提醒：', '【阳城县奖励资金】提醒：', '【阳城县奖励资金】督办：', '【阳城县奖励资金】督办：']);
    expect(applicantMails[0]!.subject).toContain('将于 7 天后到期');
    expect(applicantMails[3]!.subject).toContain('已逾期 3 天');
    // The escalation reaches the supervisor from the first overdue reminder on, never before.
    expect(supervisorMails).toHaveLength(2);
    expect(supervisorMails[0]!.text).toContain('提请督办');
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(mails.length);
    const settled = (await schedule(id)).deadlines.find((d: { deadline: string }) => d.deadline === 'correction');
    expect(settled.reminders.map((r: { status: string }) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'planned', 'planned']);
    await liveDays(6);
    const all = (await schedule(id)).deadlines.find((d: { deadline: string }) => d.deadline === 'correction');
    expect(all.reminders).toHaveLength(7);
    expect(all.reminders.every((r: { status: string }) => r.status === 'sent')).toBe(true);
  });

  it('an extension reschedules the whole sequence in one step; completing cancels what is left', async () => {
    const { id, dueDate } = await correctionProject(10);
    const extended = await api('POST', `/api/v1/projects/${id}/events`, {
      token: app.users.supervisor.token,
      body: { type: 'EXTEND_DEADLINE', deadline: 'correction', newDate: businessDateOf(new Date(Date.parse(`${dueDate}T04:00:00Z`) + 20 * 86_400_000)), reason: '疫情延期' },
    });
    expect(extended.status).toBe(200);
    const moved = await eventually(async () => {
      const entry = (await schedule(id)).deadlines.find((d: { deadline: string }) => d.deadline === 'correction');
      return entry.generation === 2 && entry;
    }, 'the extension to be applied');
    const byGeneration = (generation: number) => moved.reminders.filter((r: { generation: number }) => r.generation === generation);
    expect(byGeneration(1).length).toBeGreaterThan(0);
    expect(byGeneration(2).length).toBeGreaterThan(0);
    expect(byGeneration(1).every((r: { status: string }) => r.status === 'cancelled')).toBe(true);
    expect(byGeneration(2).every((r: { status: string }) => r.status === 'planned')).toBe(true);
    expect(byGeneration(2)[0].at.slice(0, 10)).not.toBe(byGeneration(1)[0].at.slice(0, 10));

    await api('POST', `/api/v1/projects/${id}/events`, {
      token: app.users.applicant.token,
      body: await withMaterialsOverHttp(app, id, { type: 'SUBMIT_CORRECTION', text: '已整改' }),
    });
    const accepted = await api('POST', `/api/v1/projects/${id}/events`, { token: app.users.inspector.token, body: { type: 'ACCEPT_CORRECTION' } });
    expect(accepted.status).toBe(200);
    await eventually(async () => {
      const entry = (await schedule(id)).deadlines.find((d: { deadline: string }) => d.deadline === 'correction');
      return entry.status === 'cancelled' && entry.reminders.length > 0 && entry.reminders.every((r: { status: string }) => r.status === 'cancelled');
    }, 'the correction reminders to be cancelled');
    const queued = await workers.queues.reminders.getDelayed();
    const ids = new Set(moved.reminders.map((r: { id: string }) => r.id));
    expect(queued.filter((job) => ids.has(job.id!))).toEqual([]);
  });

  it('a job for a project that moved on sends nothing and records skipped', async () => {
    const { id } = await correctionProject(5);
    // The conclusion's other effects (its notice) settle first: what is counted below is the reminder alone.
    await eventually(
      async () => (await app.db.query(`SELECT 1 FROM outbox WHERE project_id = $1 AND applied_at IS NULL`, [id])).length === 0,
      "the project's effects to be applied",
    );
    const reminder = (await schedule(id)).deadlines.find((d: { deadline: string }) => d.deadline === 'correction').reminders.at(-1);
    // The project moves on without the cancellation reaching the reminder (its effect is not relayed).
    await app.db.query(`UPDATE projects SET state = 'executing', tags = '{monitored}' WHERE id = $1`, [id]);
    const before = sink.received.length;
    const later = { ...app.clock, now: () => new Date(Date.parse(reminder.at) + 1_000) };
    const outcome = await processReminder({ db: app.db, mailer: smtpMailer(`smtp://127.0.0.1:${sink.port}`, 'x@y'), publicUrl: 'http://x', now: later.now }, reminder.id, false);
    expect(outcome).toEqual({ outcome: 'skipped' });
    expect(sink.received.length).toBe(before);
    const row = (await app.db.query<{ status: string; status_reason: string }>(`SELECT status, status_reason FROM reminders WHERE id = $1`, [reminder.id]))[0];
    expect(row).toEqual({ status: 'skipped', status_reason: 'the project moved on to executing' });
  });

  it('one recipient refused: the other is sent once, the retry sends only the missing one; the last attempt fails loudly', async () => {
    const { id } = await correctionProject(5);
    const escalated = (await schedule(id)).deadlines
      .find((d: { deadline: string }) => d.deadline === 'correction')
      .reminders.filter((r: { escalation: boolean }) => r.escalation);
    const deps = (at: string) => ({ db: app.db, mailer: smtpMailer(`smtp://127.0.0.1:${sink.port}`, 'x@y'), publicUrl: 'http://x', now: () => new Date(Date.parse(at) + 1_000) });
    const deliveries = (reminderId: string) =>
      app.db.query<{ email: string; status: string; attempts: number; error: string | null }>(
        `SELECT email, status, attempts, error FROM deliveries WHERE reminder_id = $1 ORDER BY email`,
        [reminderId],
      );
    const status = async (reminderId: string) => (await app.db.query<{ status: string }>(`SELECT status FROM reminders WHERE id = $1`, [reminderId]))[0]!.status;
    const mailsTo = (email: string, reminderId: string) => sink.received.filter((m) => m.to.includes(email) && m.messageId.startsWith(`<${reminderId}.`)).length;
    const [first, second] = escalated;
    const { applicant, supervisor } = app.users;

    sink.refused.add(supervisor.email);
    try {
      await expect(processReminder(deps(first.at), first.id, false)).rejects.toThrow(/delivery failed: .*no such mailbox/);
      expect(await status(first.id)).toBe('planned');
      expect((await deliveries(first.id)).map((d) => [d.email, d.status])).toEqual(
        [[applicant.email, 'sent'], [supervisor.email, 'sending']].sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
    } finally {
      sink.refused.delete(supervisor.email);
    }
    expect(await processReminder(deps(first.at), first.id, false)).toEqual({ outcome: 'sent' });
    expect(await status(first.id)).toBe('sent');
    expect([mailsTo(applicant.email, first.id), mailsTo(supervisor.email, first.id)]).toEqual([1, 1]);
    const firstDeliveries = await deliveries(first.id);
    expect(firstDeliveries.length).toBeGreaterThan(0);
    expect(firstDeliveries.every((d) => d.status === 'sent' && d.error === null)).toBe(true);

    sink.refused.add(supervisor.email);
    try {
      await expect(processReminder(deps(second.at), second.id, true)).rejects.toThrow(/delivery failed/);
    } finally {
      sink.refused.delete(supervisor.email);
    }
    expect(await status(second.id)).toBe('failed');
    expect((await deliveries(second.id)).find((d) => d.email === supervisor.email)).toMatchObject({ status: 'failed', error: expect.stringMatching(/no such mailbox/) });
    const alerts = await app.db.query<{ kind: string; severity: string }>(`SELECT kind, severity FROM alerts WHERE dedupe_key = $1`, [`reminder-failed.${second.id}`]);
    expect(alerts).toEqual([{ kind: 'reminder.failed', severity: 'red' }]);
  });

  it('one statement takes and claims several reminders, each at its own time, and one records them all', async () => {
    const { id } = await correctionProject(5);
    const reminders = (await schedule(id)).deadlines
      .find((d: { deadline: string }) => d.deadline === 'correction')
      .reminders.filter((r: { status: string }) => r.status === 'planned');
    const [early, due, escalated] = [reminders[0], reminders[1], reminders.find((r: { escalation: boolean }) => r.escalation)];
    const at = (reminder: { at: string }, ms: number) => new Date(Date.parse(reminder.at) + ms);
    const taken = await takeDueReminders(
      app.db,
      [
        { reminderId: due.id, now: at(due, 1_000) },
        { reminderId: 'rem-00000000-0000-7000-8000-000000000000-g1-dp0', now: at(due, 1_000) },
        { reminderId: early.id, now: at(early, -1_000) },
        { reminderId: escalated.id, now: at(escalated, 1_000) },
      ],
      RELEVANT_STATES,
    );
    expect(taken.map((row) => row?.id)).toEqual([due.id, undefined, early.id, escalated.id]);
    expect(taken.map((row) => [row?.recipients.length, row?.claimed, row?.to_send.length])).toEqual([
      [1, 1, 1],
      [undefined, undefined, undefined],
      [1, 0, 0],
      [2, 2, 2],
    ]);
    await recordDeliveries(app.db, [
      { sent: [{ key: taken[0]!.to_send[0]!, lagMs: 1_000 }], failed: [], final: false, now: at(due, 2_000), settle: { reminderId: due.id, status: 'sent', reason: null } },
      { sent: [{ key: taken[3]!.to_send[0]!, lagMs: 1_000 }], failed: [{ key: taken[3]!.to_send[1]!, error: '451 try again later' }], final: false, now: at(escalated, 2_000) },
    ]);
    const rows = await app.db.query<{ id: string; status: string; deliveries: string[] }>(
      `SELECT r.id, r.status, ARRAY(SELECT d.status || coalesce(':' || d.error, '') FROM deliveries d WHERE d.reminder_id = r.id ORDER BY d.status) AS deliveries
         FROM reminders r WHERE r.id = ANY($1::text[]) ORDER BY r.fire_at`,
      [[early.id, due.id, escalated.id]],
    );
    expect(rows).toEqual([
      { id: early.id, status: 'planned', deliveries: [] },
      { id: due.id, status: 'sent', deliveries: ['sent'] },
      { id: escalated.id, status: 'planned', deliveries: ['sending:451 try again later', 'sent'] },
    ]);
    // Taken again: only the delivery not yet sent is claimed for sending.
    const again = await takeDueReminders(app.db, [{ reminderId: escalated.id, now: at(escalated, 5_000) }], RELEVANT_STATES);
    expect([again[0]!.claimed, again[0]!.to_send]).toEqual([2, [taken[3]!.to_send[1]]]);
  });

  it('PostgreSQL claims deliveries by the same state tags the worker explains skips with', async () => {
    // Every deadline against every tag set a project can carry (tests/unit/catalogue.test.ts ties the tags to the machine).
    const tagSets = [[], ['monitored'], ['correcting', 'monitored'], ['evaluating'], ['finance-review'], ['task']];
    const pairs = Object.entries(RELEVANT_STATES).flatMap(([deadline, tag]) => tagSets.map((tags) => ({ deadline, tag, tags })));
    const rows = await app.db.query<{ matches: boolean }>(
      `SELECT COALESCE(($3::jsonb ->> d) = ANY(ARRAY(SELECT jsonb_array_elements_text(t))), true) AS matches
         FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS x(d, t, n) ORDER BY n`,
      [pairs.map((pair) => pair.deadline), pairs.map((pair) => JSON.stringify(pair.tags)), JSON.stringify(RELEVANT_STATES)],
    );
    expect(rows).toHaveLength(pairs.length);
    const disagreements = pairs.filter((pair, i) => pair.tags.includes(pair.tag) !== rows[i]!.matches);
    expect(disagreements).toEqual([]);
    expect(rows.filter((row) => row.matches).length).toBeGreaterThan(pairs.length / 10);
  });

  it('applicants never see unannounced inspections in the schedule', async () => {
    const project = await driveTo(app, 'executing');
    await applyEvent(app.engine, {
      projectId: project.id,
      actor: { userId: app.users.inspector.id, role: 'inspector', orgId: app.users.inspector.orgId },
      channel: 'api',
      type: 'RECORD_INSPECTION',
      payload: { kind: 'regular', date: businessDateOf(app.clock.now()), inspectors: ['王五'], findings: [], evidence: [] },
    });
    const today = businessDateOf(app.clock.now());
    // The regular inspection recorded today sets the next one a cadence later, with an unannounced one before it.
    // (Waited for by its date: when the first tranche's plan is still waiting, the effects worker applies
    // both plans in one batch, the newer one winning, so the generation may stay 1.)
    const planned = await eventually(async () => {
      const deadlines = (await schedule(project.id)).deadlines;
      const regular = deadlines.find((d: { deadline: string }) => d.deadline === 'inspection.regular');
      return regular?.dueDate === addDays(today, app.engine.rules.inspectionCadenceDays) && deadlines;
    }, 'the next inspection');
    const regular = planned.find((d: { deadline: string }) => d.deadline === 'inspection.regular');
    expect(regular.dueDate).toBe(addDays(today, app.engine.rules.inspectionCadenceDays));
    const unannounced = planned.find((d: { deadline: string }) => d.deadline === 'inspection.unannounced');
    expect(unannounced.dueDate > today && unannounced.dueDate < regular.dueDate).toBe(true);
    expect(unannounced.reminders.length).toBeGreaterThan(0);
    expect(unannounced.reminders.every((r: { audience: string[] }) => !r.audience.includes('applicant'))).toBe(true);
    const staff = (await schedule(project.id)).deadlines.map((d: { deadline: string }) => d.deadline);
    expect(staff).toContain('inspection.unannounced');
    const applicant = (await schedule(project.id, app.users.applicant.token)).deadlines.map((d: { deadline: string }) => d.deadline);
    expect(applicant).not.toContain('inspection.unannounced');
    expect(applicant).toContain('inspection.regular');
  });
});
