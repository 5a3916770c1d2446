/**
 * The scheduling benchmark: reminders scheduled as production schedules them. Each executing
 * project's last event (its first tranche) has two committed schedule.plan outbox rows:
 * inspection.regular (with its unannounced inspection) and progress.report. The real outbox relay
 * (relayOutbox, src/usecases/effects/relay-outbox.ts) hands them to the effects queue, and the real
 * effects worker (workers/run-workers.ts, names ['effects']: one BullMQ Worker at concurrency 1,
 * applyEffect per job: the job checked against its outbox row(s), the deadlines planned, the
 * reminders put on the reminders queue, the rows marked applied) works through them. Since issue 15
 * the path batches: the relay hands a run of consecutive schedule effects over as one schedule.run
 * job, and a schedule job applies other waiting ones with it (applyScheduleBatch: chunks of 200 rows,
 * one transaction of three statements and one addBulk each, the next chunk planned while the last
 * one's reminders are queued, rows marked applied after their reminders are on the queue).
 *
 * (1) Backlog, as after an outage: BENCH_SCHED_BACKLOG_PROJECTS x 2 effects committed to the outbox
 *     and relayed while the effects worker is down wait on the effects queue; the worker starts;
 *     timed from its start until every reminder is on the reminders queue. Judged: reminders/s >= 0.8 x the baseline.
 *     Baseline: raw `queue.addBulk` of the very same reminder jobs (ids and delays read back from the
 *     reminders table), 1,000 per call, into a queue of another prefix on the same redis-server,
 *     run just before and just after the backlog (the mean). It writes no database rows: it is the
 *     floor the queue itself sets, as the reminders target was always stated.
 * (2) Trickle: BENCH_SCHED_TRICKLE_RATE effects a second for BENCH_SCHED_TRICKLE_SECONDS, each
 *     committed and relayed at once, the worker running. Latency per effect = finishedOn (its
 *     reminders are on the queue) - timestamp (added) of the job that carried it: its own, or the
 *     schedule.run job naming it (when the relay found it beside another fresh row, e.g. one a batch
 *     held), from BullMQ's own job record. Judged on all effects pooled: p99 <= 1,000 ms (fixed
 *     before measuring); the output says how many effects met it.
 *
 * Both check that every effect completed, none failed, and the reminder rows and reminder jobs
 * equal what the plans say; otherwise the benchmark FAILED.
 *
 *   npm run bench -- scheduling
 *   BENCH_SCHED_BACKLOG_PROJECTS=200 BENCH_SCHED_TRICKLE_SECONDS=5 npm run bench -- scheduling   (quick)
 *
 * Settings: BENCH_SCHED_BACKLOG_PROJECTS (1000, so 2,000 effects), BENCH_SCHED_TRICKLE_RATE (20 effects/s),
 * BENCH_SCHED_TRICKLE_SECONDS (10), BENCH_KEEP_DB=1. Writes bench/results/scheduling.json.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { DEFAULT_REMINDER_POLICIES } from '../../config/reminder-policies.ts';
import { addStaffUser, ensureStandardOrganisations } from '../../src/admin/standard-directory.ts';
import { addDays, businessDateOf } from '../../src/domain/business-date.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import type { Database } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import { EFFECT_TOPICS } from '../../src/jobs/effect-jobs.ts';
import { SCHEDULE_RUN_JOB } from '../../src/jobs/schedule-run.job.ts';
import { DEFAULT_SCHEDULE_BATCH, SCHEDULE_CHUNK } from '../../src/usecases/effects/apply-schedule-batch.ts';
import { relayOutbox } from '../../src/usecases/effects/relay-outbox.ts';
import { effectsQueue, remindersQueue, workerConnection } from '../../workers/queues.ts';
import { reminderJob } from '../../workers/reminder-jobs.ts';
import { runWorkers, type RunningWorkers } from '../../workers/run-workers.ts';
import { createBenchDatabase, keepOrDrop, serverSettings, teardownOnce, type BenchDatabase } from './support/bench-db.ts';
import { Judge, type BenchOutcome } from './support/judge.ts';
import { summarise } from './support/load.ts';
import { round } from './support/proc.ts';
import { startBenchRedis, type BenchRedis } from './support/redis.ts';
import { envNumber, machineInfo, printTable, writeResults } from './support/report.ts';
import { createTemplateProject, seedingEngine, seedUsers, templateCloner } from './support/seed.ts';

const TRICKLE_P99_LIMIT_MS = 1_000;
const BACKLOG_RATIO_TARGET = 0.8;

function log(message: string): void {
  console.log(`[bench scheduling] ${message}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The effects worker sends no mail; a call would mean the benchmark runs something it did not mean to. */
const NO_MAIL: Mailer = {
  kind: 'local',
  send: async () => {
    throw new Error('the scheduling benchmark sends no mail');
  },
  close: () => {},
};

/**
 * The two schedule.plan outbox rows of a project's first tranche (its event `seq`), as the engine
 * writes them (topic, payload naming the event, dedupe key project.seq.index); due dates spread over
 * the next months so that every reminder is planned.
 */
function effectRows(projectIds: string[], seq: number, actorId: string, today: string) {
  return projectIds.flatMap((projectId, i) =>
    (['inspection.regular', 'progress.report'] as const).map((deadline, index) => ({
      topic: 'schedule.plan',
      payload: { projectId, seq, eventType: 'DISBURSE', actorId, deadline, date: addDays(today, 30 + (i % 90)) },
      dedupeKey: `${projectId}.${seq}.${index}`,
    })),
  );
}

type EffectRow = ReturnType<typeof effectRows>[number];

/** Commits outbox rows as the engine's statement does (project id and event seq columns from the payload). */
async function commitOutboxRows(db: Database, rows: EffectRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const slice = rows.slice(i, i + 1000);
    await db.query(
      `INSERT INTO outbox (project_id, event_seq, topic, payload, dedupe_key)
       SELECT (p ->> 'projectId')::uuid, (p ->> 'seq')::int, u.topic, u.p, u.key
         FROM unnest($1::text[], $2::jsonb[], $3::text[]) WITH ORDINALITY AS u(topic, p, key, n) ORDER BY u.n`,
      [slice.map((row) => row.topic), slice.map((row) => JSON.stringify(row.payload)), slice.map((row) => row.dedupeKey)],
    );
  }
}

export async function runSchedulingBench(): Promise<BenchOutcome> {
  const params = {
    backlogProjects: Math.max(1, Math.floor(envNumber('BENCH_SCHED_BACKLOG_PROJECTS', 1000))),
    trickleRate: Math.max(1, envNumber('BENCH_SCHED_TRICKLE_RATE', 20)),
    trickleSeconds: Math.max(1, envNumber('BENCH_SCHED_TRICKLE_SECONDS', 10)),
    rawBatch: 1000,
    effectsConcurrency: 1,
    scheduleBatch: DEFAULT_SCHEDULE_BATCH,
    scheduleChunk: SCHEDULE_CHUNK,
    trickleP99LimitMs: TRICKLE_P99_LIMIT_MS,
    backlogRatioTarget: BACKLOG_RATIO_TARGET,
  };
  const trickleEffects = Math.round(params.trickleRate * params.trickleSeconds);
  const trickleProjects = Math.ceil(trickleEffects / 2);
  const machine = machineInfo();
  const startedAt = new Date();
  log(`${machine.cpus} cores; backlog ${params.backlogProjects * 2} effects, trickle ${params.trickleRate}/s for ${params.trickleSeconds} s`);

  let bench: BenchDatabase | undefined;
  let db: Database | undefined;
  let redis: BenchRedis | undefined;
  let connection: Redis | undefined;
  let workers: RunningWorkers | undefined;
  const queues: Queue[] = [];
  const teardown = teardownOnce(log, 'interrupted: stopping the worker and dropping the database', async () => {
    await workers?.stop().catch(() => {});
    for (const queue of queues) await queue.close().catch(() => {});
    connection?.disconnect();
    await redis?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await keepOrDrop(bench, log);
  });

  try {
    bench = await createBenchDatabase();
    db = openPgDatabase(bench.url, 10);
    await migrate(db);
    const settings = await serverSettings(bench.url);
    const users = await seedUsers(db);
    await addStaffUser(db, await ensureStandardOrganisations(db), 'inspector', 'inspector@bench.test', '检查员（基准测试）');
    const templateId = await createTemplateProject(seedingEngine(db), users);
    const cloner = await templateCloner(db, templateId, 1000);
    // Clones only: the template keeps its own outbox rows (its tranche's real effects), which are
    // marked applied here, so that the effects worker sees the benchmark's rows and nothing else.
    const all = await cloner.clone(params.backlogProjects + trickleProjects);
    await db.query(`UPDATE outbox SET relayed_at = now(), applied_at = now() WHERE applied_at IS NULL`);
    const [last] = await db.query<{ seq: number; actor_id: string }>(
      `SELECT seq, actor_id FROM project_events WHERE project_id = $1 ORDER BY seq DESC LIMIT 1`,
      [templateId],
    );
    const trancheSeq = last!.seq;
    await db.query('VACUUM (ANALYZE) projects');
    await db.query('VACUUM (ANALYZE) project_events');
    const backlogIds = all.slice(0, params.backlogProjects);
    const trickleIds = all.slice(params.backlogProjects);
    log(`seeded ${all.length} executing projects`);

    redis = await startBenchRedis({ appendfsync: 'everysec' });
    connection = workerConnection(redis.url);
    const prefix = 'ffsched';
    const effects = effectsQueue(connection, prefix);
    const reminders = remindersQueue(connection, prefix);
    const raw = remindersQueue(connection, 'ffraw');
    queues.push(effects, reminders, raw);
    await Promise.all(queues.map((queue) => queue.waitUntilReady()));
    const today = businessDateOf(new Date());
    const queued = async (queue: Queue) => {
      const counts = await queue.getJobCounts('delayed', 'wait', 'prioritized');
      return (counts.delayed ?? 0) + (counts.wait ?? 0) + (counts.prioritized ?? 0);
    };
    const startEffectsWorker = () =>
      runWorkers({
        db: db!,
        redisUrl: redis!.url,
        log: pino({ level: 'warn' }),
        mailer: NO_MAIL,
        publicUrl: 'http://bench.invalid',
        rules: DEFAULT_LIFECYCLE_RULES,
        policies: DEFAULT_REMINDER_POLICIES,
        monitoring: DEFAULT_MONITORING_RULES,
        now: () => new Date(),
        unannouncedDate: (day) => addDays(day, 20),
        prefix,
        names: ['effects'],
      });
    const plannedRows = async (ids: string[]) =>
      db!.query<{ id: string; fire_at: Date }>(`SELECT id, fire_at FROM reminders WHERE project_id = ANY($1::uuid[]) AND status = 'planned'`, [ids]);

    // ---- the raw baseline: addBulk of given reminder jobs, 1,000 per call ----
    const rawAddBulk = async (rows: { id: string; fire_at: Date }[], tag: string) => {
      const now = new Date();
      const jobs = rows.map((row) => reminderJob({ id: `${row.id}-${tag}`, fireAt: row.fire_at }, now));
      const before = await queued(raw);
      const t0 = performance.now();
      for (let i = 0; i < jobs.length; i += params.rawBatch) await raw.addBulk(jobs.slice(i, i + params.rawBatch));
      const seconds = (performance.now() - t0) / 1000;
      const added = (await queued(raw)) - before;
      return { jobs: jobs.length, added, seconds: round(seconds, 3), jobsPerSecond: seconds > 0 ? round(jobs.length / seconds, 1) : null };
    };

    // ================= (1) backlog, as after an outage =================
    const relay = () => relayOutbox(db!, effects, { topics: EFFECT_TOPICS, now: new Date(), redeliverAfterMs: 600_000 });
    const backlogJobs = effectRows(backlogIds, trancheSeq, last!.actor_id, today);
    await commitOutboxRows(db, backlogJobs);
    await db.query('VACUUM (ANALYZE) outbox');
    // The relay ran while the effects worker was down: every row is a job waiting on the effects queue.
    let relayed = 0;
    for (let moved = await relay(); moved.fresh > 0; moved = await relay()) relayed += moved.fresh;
    if (relayed !== backlogJobs.length) throw new Error(`the relay handed over ${relayed} of ${backlogJobs.length} outbox rows`);
    const waiting = await queued(effects);
    log(`(1) ${backlogJobs.length} effects relayed as ${waiting} jobs with the worker down; starting the effects worker`);
    // The warm-up run of the raw baseline uses the trickle projects' shape: nothing of the backlog yet.
    const remindersBefore = await queued(reminders);
    const t0 = performance.now();
    workers = await startEffectsWorker();
    let lastCount = -1;
    let lastChange = performance.now();
    for (;;) {
      const counts = await effects.getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized');
      const pending = (counts.wait ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
      if (pending === 0) break;
      if (pending !== lastCount) {
        lastCount = pending;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > 60_000) {
        log(`(1) stalled with ${pending} effects pending`);
        break;
      }
      await sleep(20);
    }
    const backlogSeconds = (performance.now() - t0) / 1000;
    const backlogCounts = await effects.getJobCounts('completed', 'failed');
    const backlogRows = await plannedRows(backlogIds);
    const backlogReminders = (await queued(reminders)) - remindersBefore;
    const backlogRate = backlogSeconds > 0 ? round(backlogReminders / backlogSeconds, 1) : null;
    log(`(1) ${backlogJobs.length} effects, ${backlogReminders} reminders on the queue in ${round(backlogSeconds, 2)} s: ${backlogRate} reminders/s, ${round(backlogJobs.length / backlogSeconds, 1)} effects/s`);
    const rawBefore = await rawAddBulk(backlogRows, 'a');
    const rawAfter = await rawAddBulk(backlogRows, 'b');
    const rawRates = [rawBefore.jobsPerSecond, rawAfter.jobsPerSecond];
    const rawMean = rawRates.every((rate) => rate !== null) ? round((rawBefore.jobsPerSecond! + rawAfter.jobsPerSecond!) / 2, 1) : null;
    log(`(1) raw addBulk of the same ${backlogRows.length} jobs: ${rawBefore.jobsPerSecond} / ${rawAfter.jobsPerSecond} jobs/s`);

    // ================= (2) a steady trickle =================
    // Each effect: its outbox row committed, then relayed at once (the relay's own poll would add up
    // to its interval before the job exists; the latency is timed from the job's creation anyway).
    const trickleJobs = effectRows(trickleIds, trancheSeq, last!.actor_id, today).slice(0, trickleEffects);
    const trickleStart = performance.now();
    for (let i = 0; i < trickleJobs.length; i += 1) {
      const wait = trickleStart + (i * 1000) / params.trickleRate - performance.now();
      if (wait > 0) await sleep(wait);
      await commitOutboxRows(db, [trickleJobs[i]!]);
      await relay();
    }
    const trickleIdsSet = trickleJobs.map((job) => job.dedupeKey);
    // The job that carried each effect: its own (id = dedupe key), or the schedule.run job naming it
    // when the relay found it beside another fresh one (e.g. skipped once while a batch held it).
    const carriers = async () => {
      const runs = (await effects.getJobs(['completed', 'failed', 'active', 'wait', 'delayed'])).filter((job) => job.name === SCHEDULE_RUN_JOB.name);
      const byKey = new Map(runs.flatMap((job) => (job.data as { keys: string[] }).keys.map((key) => [key, job] as const)));
      return Promise.all(trickleIdsSet.map(async (id) => (await effects.getJob(id)) ?? byKey.get(id)));
    };
    const finished = async () => (await carriers()).filter((job) => job?.finishedOn);
    let done = await finished();
    const drainUntil = performance.now() + 60_000;
    while (done.length < trickleJobs.length && performance.now() < drainUntil) {
      await sleep(100);
      done = await finished();
    }
    const latencies = done.map((job) => job!.finishedOn! - job!.timestamp);
    const trickleFailed = done.filter((job) => job!.failedReason).length;
    const lag = summarise(latencies);
    const withinLimit = latencies.filter((ms) => ms <= params.trickleP99LimitMs).length;
    const trickleRows = await plannedRows(trickleIds);
    const expectedTrickleReminders = trickleRows.length;
    log(`(2) ${done.length}/${trickleJobs.length} effects done; effect -> reminders queued p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms; ${withinLimit} within ${params.trickleP99LimitMs} ms`);

    await workers.stop();
    workers = undefined;
    const remindersAtEnd = (await queued(reminders)) - remindersBefore;

    // ---- judgement ----
    const judge = new Judge('scheduling', { ...params, backlogEffects: backlogJobs.length, trickleEffects: trickleJobs.length });
    const backlogName = `${backlogJobs.length} effects backlog (${backlogReminders} reminders)`;
    judge.ratioAtLeast(
      `reminders/s through the effects worker / raw addBulk jobs/s, ${backlogName}`,
      backlogRate,
      rawMean,
      `raw queue.addBulk of the same ${backlogRows.length} jobs, ${params.rawBatch} per call (mean of before/after)`,
      params.backlogRatioTarget,
    );
    judge.atMost(
      `trickle ${params.trickleRate} effects/s for ${params.trickleSeconds} s (${trickleJobs.length} effects): p99 ms effect queued -> its reminders queued, pooled`,
      latencies.length ? lag.p99Ms : null,
      params.trickleP99LimitMs,
      `${withinLimit}/${trickleJobs.length} effects within ${params.trickleP99LimitMs} ms`,
    );
    judge.require('(1) every backlog effect completed, none failed', (backlogCounts.failed ?? 0) === 0 && lastCount !== -1 && backlogRows.length > 0, JSON.stringify(backlogCounts));
    judge.require('(1) reminder jobs queued = planned reminder rows', backlogReminders === backlogRows.length, `${backlogReminders} jobs, ${backlogRows.length} rows`);
    judge.require('(1) raw baseline added every job', rawBefore.added === rawBefore.jobs && rawAfter.added === rawAfter.jobs, JSON.stringify({ rawBefore, rawAfter }));
    judge.require('(2) every trickle effect completed, none failed', done.length === trickleJobs.length && trickleFailed === 0, `${done.length}/${trickleJobs.length}, failed ${trickleFailed}`);
    judge.require('(2) reminder jobs queued = planned reminder rows', remindersAtEnd === backlogRows.length + expectedTrickleReminders && expectedTrickleReminders > 0, `${remindersAtEnd} jobs, ${backlogRows.length + expectedTrickleReminders} rows`);

    const results = {
      benchmark: 'scheduling',
      timestamp: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine,
      postgres: settings,
      parameters: params,
      notes: [
        'Production path: committed schedule.plan outbox rows, relayed by relayOutbox (runs of consecutive schedule effects as one schedule.run job), applied by runWorkers({ names: ["effects"] }) as workers/main.ts runs it (one BullMQ Worker, concurrency 1, applyEffect per job; schedule effects in batches of up to scheduleBatch rows, chunks of scheduleChunk).',
        'Baseline: raw queue.addBulk of the same reminder jobs, 1,000 per call, same redis-server, before and after the backlog; it writes no database rows.',
        `Trickle latency = BullMQ job finishedOn - timestamp per effect; the p99 limit (${TRICKLE_P99_LIMIT_MS} ms) and the backlog ratio (${BACKLOG_RATIO_TARGET}) were fixed before measuring.`,
      ],
      backlog: {
        effects: backlogJobs.length,
        reminders: backlogReminders,
        plannedRows: backlogRows.length,
        seconds: round(backlogSeconds, 3),
        remindersPerSecond: backlogRate,
        effectsPerSecond: round(backlogJobs.length / backlogSeconds, 1),
        effectCounts: backlogCounts,
        raw: { before: rawBefore, after: rawAfter, meanJobsPerSecond: rawMean },
      },
      trickle: { effects: trickleJobs.length, done: done.length, failed: trickleFailed, latencyMs: lag, withinLimit, plannedRows: expectedTrickleReminders },
      targets: judge.targets,
      failures: judge.failures,
    };
    writeResults('scheduling.json', results);
    printTable('Scheduling through the effects worker', [
      ['phase', 'effects', 'reminders', 'seconds', 'reminders/s', 'effects/s', 'p50 ms', 'p99 ms'],
      ['(1) backlog, worker started after', backlogJobs.length, backlogReminders, round(backlogSeconds, 2), backlogRate, round(backlogJobs.length / backlogSeconds, 1), '-', '-'],
      [`(2) trickle ${params.trickleRate}/s`, trickleJobs.length, expectedTrickleReminders, params.trickleSeconds, '-', params.trickleRate, lag.p50Ms, lag.p99Ms],
      ['baseline: raw addBulk (before / after)', '-', backlogRows.length, `${rawBefore.seconds} / ${rawAfter.seconds}`, `${rawBefore.jobsPerSecond} / ${rawAfter.jobsPerSecond}`, '-', '-', '-'],
    ]);
    judge.print();
    return judge.outcome();
  } finally {
    await teardown.release();
  }
}
