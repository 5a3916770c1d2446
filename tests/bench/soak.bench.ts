/**
 * Soak (issue 11, durability item 7): the real service (src/main.ts: API and workers in one
 * process, as `npm start` runs it) on a throw-away PostgreSQL database, a redis-server of its own
 * and an SMTP server in this process, under a fixed arrival rate for BENCH_SOAK_SECONDS (1200 by
 * default). Arrivals (open loop, whatever the answers take): commands (create + submit), email-link
 * decisions (GET the page, POST the form, as a person does), reads, and reminders planned already
 * due. Every BENCH_SOAK_SAMPLE_SECONDS it samples the service's RSS, its event-loop delay p99
 * (prom-client, reset at each scrape), the bench database's PostgreSQL connections and Redis
 * used_memory; after the warm-up it fits a least-squares line per series and compares the slope
 * with THRESHOLDS, fixed here before any run. Errors: any unexpected answer or network failure,
 * and the end-state invariants (every mail once, every reminder settled, audit chains verify).
 * Writes bench/results/soak.json; prints FAILED and exits 1 when a target or invariant fails.
 *
 * Settings: BENCH_SOAK_SECONDS (1200), BENCH_SOAK_RATE (arrivals/s, 2), BENCH_SOAK_SAMPLE_SECONDS (10),
 * BENCH_SOAK_WARMUP_SECONDS (min(120, a quarter of the run)), BENCH_KEEP_DB=1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventPayloadSchemas, type ProjectEventType } from '../../machines/project.schemas.ts';
import { remindersQueue, producerConnection } from '../../workers/queues.ts';
import { reminderJob } from '../../workers/reminder-jobs.ts';
import { addStaffUser, addApplicantUser, ensureStandardOrganisations, type DirectoryUser } from '../../src/admin/standard-directory.ts';
import { auditVerifyCommand } from '../../src/cli/audit-verify.command.ts';
import { applyEvent } from '../../src/engine/apply-event.ts';
import { attachMissingMaterials } from '../../src/usecases/attachments/attach-missing-materials.ts';
import { demoFileOf } from '../../src/usecases/demo/demo-materials.ts';
import { uploadOverHttp } from '../support/materials.ts';
import { createProject } from '../../src/engine/create-project.ts';
import { freePort } from '../../src/infra/embedded-redis.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPgDatabase } from '../../src/store/pg-database.ts';
import { addOrganisation } from '../../src/store/users.store.ts';
import { createFund } from '../../src/store/ledger.store.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { sampleProposal } from '../support/test-app.ts';
import { dueDateAfter, planLoad } from '../support/reminder-load.ts';
import { createBenchDatabase, keepOrDrop, teardownOnce, type BenchDatabase } from './support/bench-db.ts';
import { keepAliveClient } from './support/load.ts';
import { memoryOf, round } from './support/proc.ts';
import { startBenchRedis, type BenchRedis } from './support/redis.ts';
import { envNumber, machineInfo, printTable, writeResults } from './support/report.ts';
import { REPO_ROOT } from './support/server-child.ts';
import { seedingEngine } from './support/seed.ts';

/** Fixed before measuring: per minute, after the warm-up. A leak of 1 MB/min is 20 MB over the default run. */
export const THRESHOLDS = {
  rssMBPerMin: 1,
  loopDelayP99MsPerMin: 0.5,
  pgConnectionsPerMin: 0.2,
  redisMBPerMin: 0.1,
} as const;

const log = (message: string) => console.log(`[soak] ${message}`);

interface Sample {
  atS: number;
  rssMB: number;
  loopDelayP99Ms: number;
  pgConnections: number;
  redisMB: number;
  /** Finished jobs Redis keeps (the workers' retention): what Redis memory should follow. */
  retainedJobs: number;
  inFlight: number;
}

/** Least-squares slope of y over x (per unit of x). */
export function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxy = points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

function metricOf(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

const asActor = (user: DirectoryUser) => ({ userId: user.id, role: user.role, orgId: user.orgId });

async function seed(url: string) {
  const db = openPgDatabase(url, 4);
  await migrate(db);
  const orgs = await ensureStandardOrganisations(db);
  const unit = await addOrganisation(db, { name: '阳城县润城镇人民政府（长时测试）', kind: 'unit' });
  const role = (name: 'center' | 'finance' | 'leadership' | 'inspector' | 'supervisor') => addStaffUser(db, orgs, name, `${name}@soak.test`, `${name} 用户`);
  const users = {
    applicant: await addApplicantUser(db, unit.id, 'applicant@soak.test', '申报人'),
    center: await role('center'),
    finance: await role('finance'),
    leadership: await role('leadership'),
    inspector: await role('inspector'),
    supervisor: await role('supervisor'),
  };
  await createFund(
    db,
    { sourceDocument: '晋财企〔2024〕长时测试号', name: '长时测试资金', amountFen: 100_000_000_000_000, receivedOn: '2024-01-15', categoryCeilingsFen: {}, itemCeilingsFen: {} },
    users.finance.id,
    '2024-01-15T02:00:00Z',
  );
  // One project in correction: the deadlines whose reminders the soak plans stay relevant to it.
  const engine = seedingEngine(db);
  const created = await createProject(engine, asActor(users.applicant), sampleProposal() as never, 'api');
  const steps: [keyof typeof users, ProjectEventType, Record<string, unknown>?][] = [
    ['applicant', 'SUBMIT'],
    ['center', 'APPROVE'],
    ['finance', 'APPROVE'],
    ['finance', 'DISBURSE', { amountFen: 1_000_000 }],
    ['inspector', 'RECORD_INSPECTION', { kind: 'regular', date: '2024-10-08', inspectors: ['张三'] }],
    ['supervisor', 'CONCLUDE_INSPECTION', { outcome: 'deviation', correction: '补充', dueDate: '2099-12-31' }],
  ];
  for (const [who, type, raw] of steps) {
    const payload = eventPayloadSchemas[type].parse(type === 'DISBURSE' ? { voucher: 'GKZF-2024-000001', ...raw } : (raw ?? {})) as Record<string, unknown>;
    // The materials the event needs (config/required-materials.ts), from the people who bring them.
    await attachMissingMaterials(engine, {
      projectId: created.body.id,
      item: 5,
      type,
      payload,
      uploaderOf: (kind) => asActor(kind === 'inspection-evidence' ? users.inspector : users.applicant),
      fileOf: (kind) => demoFileOf(kind, `soak ${type}`),
      channel: 'api',
    });
    await applyEvent(engine, { projectId: created.body.id, actor: asActor(users[who]), channel: 'api', type, payload });
  }
  return { db, users, correcting: created.body.id };
}

async function startService(env: Record<string, string>): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** GET the link page as a browser would (keeping its cookie), then POST the form's decision. */
async function decideByLink(baseUrl: string, token: string): Promise<{ status: number; detail?: string }> {
  const page = await fetch(`${baseUrl}/t/${token}`, { headers: { 'user-agent': 'Mozilla/5.0 (soak)' } });
  const html = await page.text();
  if (page.status !== 200) return { status: page.status, detail: `GET /t/: ${page.status}` };
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1];
  if (!nonce) return { status: 0, detail: 'no form on the link page' };
  const decision = /name="decision" value="approve"/.test(html) ? 'approve' : /name="decision" value="([a-z]+)"/.exec(html)?.[1] ?? 'approve';
  const posted = await fetch(`${baseUrl}/t/${token}`, {
    method: 'POST',
    headers: { 'user-agent': 'Mozilla/5.0 (soak)', cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision, nonce, comment: '长时测试' }).toString(),
  });
  await posted.text();
  return posted.status === 200 ? { status: 200 } : { status: posted.status, detail: `POST /t/ ${decision}: ${posted.status}` };
}

export async function runSoakBench(): Promise<void> {
  const seconds = envNumber('BENCH_SOAK_SECONDS', 1200);
  const rate = envNumber('BENCH_SOAK_RATE', 2);
  const sampleSeconds = envNumber('BENCH_SOAK_SAMPLE_SECONDS', 10);
  const warmupSeconds = envNumber('BENCH_SOAK_WARMUP_SECONDS', Math.min(120, seconds / 4));
  const machine = machineInfo();
  log(`${seconds} s at ${rate} arrivals/s, a sample every ${sampleSeconds} s, warm-up ${warmupSeconds} s; thresholds ${JSON.stringify(THRESHOLDS)}`);

  let bench: BenchDatabase | undefined;
  let redis: BenchRedis | undefined;
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  const sink = new SmtpSink();
  const teardown = teardownOnce(log, 'interrupted; cleaning up', async () => {
    service?.child.kill('SIGTERM');
    if (service) await Promise.race([service.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    service?.child.kill('SIGKILL');
    await sink.stop().catch(() => {});
    await redis?.stop();
    await keepOrDrop(bench, log);
  });

  const errors: { atS: number; what: string }[] = [];
  const counts: Record<string, number> = { commands: 0, linkDecisions: 0, reads: 0, remindersPlanned: 0, skippedNoLink: 0 };
  const samples: Sample[] = [];
  let failed = false;
  try {
    bench = await createBenchDatabase('fundflow_soak');
    redis = await startBenchRedis();
    const smtpUrl = await sink.start();
    sink.received.length = 0;
    const { db, users, correcting } = await seed(bench.url);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    service = await startService({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATABASE_URL: bench.url,
      REDIS_URL: redis.url,
      SMTP_URL: smtpUrl,
      LOG_LEVEL: 'warn',
      TOKEN_CACHE_SECONDS: '5',
    });
    const started = Date.now();
    for (;;) {
      if (service.child.exitCode !== null) throw new Error(`the service exited at start:\n${service.output()}`);
      if (await fetch(`${baseUrl}/readyz`).then((r) => r.status === 200, () => false)) break;
      if (Date.now() - started > 60_000) throw new Error(`the service was not ready within 60 s:\n${service.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    log(`service ready (pid ${service.child.pid}) in ${Date.now() - started} ms`);
    const client = keepAliveClient(baseUrl, 32);
    const producer = producerConnection(redis.url);
    producer.on('error', () => {});
    const reminders = remindersQueue(producer);
    const pgAdmin = openPgDatabase(bench.url, 1);
    const plannedReminderIds: string[] = [];
    const usedLinks = new Set<string>();
    const projectIds: string[] = [];
    let inFlight = 0;
    const t0 = Date.now();
    const atS = () => (Date.now() - t0) / 1000;
    const fail = (what: string) => {
      if (errors.length < 200) errors.push({ atS: round(atS(), 1), what });
      else errors.push({ atS: round(atS(), 1), what: '(more)' });
    };
    const nextLink = () => {
      for (const mail of sink.received) {
        const token = /\/t\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
        if (token && !usedLinks.has(token)) {
          usedLinks.add(token);
          return token;
        }
      }
      return undefined;
    };
    let planSeq = 0;
    const arrival = async (index: number) => {
      const kind = index % 10;
      if (kind <= 5) {
        const created = await client.post('/api/v1/projects', users.applicant.token, sampleProposal({ title: `长时测试项目 ${index}` }));
        if (created.status !== 201) return fail(`create: ${created.status} ${created.text.slice(0, 200)}`);
        const id = (JSON.parse(created.text) as { id: string }).id;
        projectIds.push(id);
        // A proposal goes in with its 申报书 and 预算明细 (two uploads through the API).
        for (const kind of ['proposal', 'budget'] as const) {
          const attached = await uploadOverHttp(baseUrl, users.applicant.token, id, { kind, name: `${kind}.pdf`, bytes: demoFileOf(kind, `soak ${index}`).bytes });
          if (attached.status !== 201) return fail(`upload ${kind}: ${attached.status} ${JSON.stringify(attached.body).slice(0, 200)}`);
        }
        const submitted = await client.post(`/api/v1/projects/${id}/events`, users.applicant.token, { type: 'SUBMIT' });
        if (submitted.status !== 200) return fail(`submit: ${submitted.status} ${submitted.text.slice(0, 200)}`);
        counts.commands! += 4;
      } else if (kind === 6) {
        const token = nextLink();
        if (!token) {
          counts.skippedNoLink! += 1;
          return;
        }
        const answer = await decideByLink(baseUrl, token);
        if (answer.status !== 200) return fail(`link decision: ${answer.detail}`);
        counts.linkDecisions! += 1;
      } else if (kind === 7) {
        // Four reminders (one per deadline of the correcting project), already due: the worker sends them now.
        const now = new Date();
        planSeq += 1;
        const load = await planLoad(db, [correcting], { perDeadline: 1, dueDate: dueDateAfter(now, -1), planNow: new Date(now.getTime() - 5 * 86_400_000) });
        await reminders.addBulk(load.ids.map((id) => reminderJob({ id, fireAt: load.firstFireAt }, now)));
        plannedReminderIds.push(...load.ids);
        counts.remindersPlanned! += load.ids.length;
      } else {
        const id = projectIds[index % Math.max(1, projectIds.length)];
        const read = id ? await client.get(`/api/v1/projects/${id}`, users.center.token) : await client.get('/api/v1/projects', users.center.token);
        if (read.status !== 200) return fail(`read: ${read.status}`);
        counts.reads! += 1;
      }
    };

    const sample = async () => {
      const metrics = await fetch(`${baseUrl}/metrics`).then((r) => r.text());
      const [connections] = await pgAdmin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [bench!.name]);
      const memory = await redis!.memory();
      let retainedJobs = 0;
      for (const queue of ['effects', 'reminders', 'checks']) {
        for (const list of ['completed', 'failed']) retainedJobs += await redis!.client.zcard(`fundflow:${queue}:${list}`);
      }
      samples.push({
        atS: round(atS(), 1),
        rssMB: memoryOf(service!.child.pid!)?.rssMB ?? NaN,
        loopDelayP99Ms: round((metricOf(metrics, 'nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000, 2),
        pgConnections: connections!.n,
        redisMB: round((memory.used_memory ?? NaN) / 2 ** 20, 3),
        retainedJobs,
        inFlight,
      });
      const last = samples.at(-1)!;
      log(`t=${last.atS}s rss ${last.rssMB} MB, loop p99 ${last.loopDelayP99Ms} ms, pg ${last.pgConnections}, redis ${last.redisMB} MB (${last.retainedJobs} finished jobs kept), in flight ${inFlight}, errors ${errors.length}`);
    };

    // Open loop: arrival i starts at t0 + i/rate, whether or not the earlier ones have finished.
    const total = Math.floor(seconds * rate);
    const running = new Set<Promise<void>>();
    let nextSample = 0;
    await fetch(`${baseUrl}/metrics`).then((r) => r.text()); // resets the event-loop histogram
    for (let i = 0; i < total; i += 1) {
      const due = t0 + (i / rate) * 1000;
      while (Date.now() >= t0 + nextSample * 1000) {
        await sample().catch((error: unknown) => fail(`sample: ${(error as Error).message}`));
        nextSample += sampleSeconds;
      }
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (service.child.exitCode !== null) throw new Error(`the service exited during the soak:\n${service.output()}`);
      inFlight += 1;
      const op: Promise<void> = arrival(i)
        .catch((error: unknown) => fail(`arrival ${i}: ${(error as Error).message}`))
        .finally(() => {
          inFlight -= 1;
          running.delete(op);
        });
      running.add(op);
    }
    await Promise.all(running);
    await sample();
    log('arrivals done; waiting for the workers to settle every effect');

    // End state: every review email out, every planned reminder settled, each Message-ID once.
    const settleBy = Date.now() + 120_000;
    const pendingOf = async () => {
      const [row] = await pgAdmin.query<{ outbox: number; sending: number; planned: number }>(
        `SELECT (SELECT count(*) FROM outbox WHERE relayed_at IS NULL)::int AS outbox,
                (SELECT count(*) FROM deliveries WHERE status = 'sending')::int AS sending,
                (SELECT count(*) FROM reminders WHERE id = ANY($1::text[]) AND status = 'planned')::int AS planned`,
        [plannedReminderIds],
      );
      return row!;
    };
    let pending = await pendingOf();
    while ((pending.outbox > 0 || pending.sending > 0 || pending.planned > 0) && Date.now() < settleBy) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      pending = await pendingOf();
    }
    if (pending.outbox > 0 || pending.sending > 0 || pending.planned > 0) fail(`not settled 120 s after the last arrival: ${JSON.stringify(pending)}`);
    const [deliveries] = await pgAdmin.query<{ sent: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM deliveries`,
    );
    const byMessageId = new Map<string, number>();
    for (const mail of sink.received) byMessageId.set(mail.messageId, (byMessageId.get(mail.messageId) ?? 0) + 1);
    const doubled = [...byMessageId.values()].filter((count) => count > 1).length;
    if (doubled > 0) fail(`${doubled} Message-IDs arrived more than once`);
    if (deliveries!.failed > 0) fail(`${deliveries!.failed} deliveries failed`);
    if (deliveries!.sent !== byMessageId.size) fail(`${deliveries!.sent} deliveries recorded sent, ${byMessageId.size} distinct messages received`);
    // Planning a deadline again cancels its reminders not yet sent (a new generation): by design.
    const [reminderStates] = await pgAdmin.query<{ sent: number; skipped: number; cancelled: number; other: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE status NOT IN ('sent', 'skipped', 'cancelled'))::int AS other FROM reminders WHERE id = ANY($1::text[])`,
      [plannedReminderIds],
    );
    if (reminderStates!.other > 0) fail(`${reminderStates!.other} soak reminders neither sent, skipped nor cancelled`);
    if (reminderStates!.sent === 0) fail('no soak reminder was sent');
    const audit = await auditVerifyCommand(db);
    if (!audit.ok) fail(`audit chain broken: ${JSON.stringify(audit.firstBroken)}`);

    // Slopes per minute over the samples after the warm-up.
    const steady = samples.filter((s) => s.atS >= warmupSeconds);
    const perMinute = (pick: (s: Sample) => number) => round(slope(steady.map((s) => ({ x: s.atS / 60, y: pick(s) })).filter((p) => Number.isFinite(p.y))), 4);
    const slopes = {
      rssMBPerMin: perMinute((s) => s.rssMB),
      loopDelayP99MsPerMin: perMinute((s) => s.loopDelayP99Ms),
      pgConnectionsPerMin: perMinute((s) => s.pgConnections),
      redisMBPerMin: perMinute((s) => s.redisMB),
    };
    // How much of Redis' growth the retained finished jobs explain (bytes per retained job).
    const retainedJobsPerMin = perMinute((s) => s.retainedJobs);
    const redisBytesPerRetainedJob = retainedJobsPerMin > 0 ? Math.round((slopes.redisMBPerMin * 2 ** 20) / retainedJobsPerMin) : null;
    const verdicts = Object.fromEntries(
      (Object.keys(THRESHOLDS) as (keyof typeof THRESHOLDS)[]).map((key) => [key, Number.isFinite(slopes[key]) && slopes[key] <= THRESHOLDS[key] ? 'met' : 'FAILED']),
    ) as Record<keyof typeof THRESHOLDS, string>;
    const targetsMet = Object.values(verdicts).every((v) => v === 'met') && steady.length >= 3;
    failed = !targetsMet || errors.length > 0;

    printTable('soak: slope per minute after the warm-up (least squares)', [
      ['series', 'slope/min', 'threshold', 'first', 'last', 'max', 'verdict'],
      ...(Object.keys(THRESHOLDS) as (keyof typeof THRESHOLDS)[]).map((key) => {
        const pick = { rssMBPerMin: 'rssMB', loopDelayP99MsPerMin: 'loopDelayP99Ms', pgConnectionsPerMin: 'pgConnections', redisMBPerMin: 'redisMB' }[key] as keyof Sample;
        const values = steady.map((s) => s[pick]);
        return [key, slopes[key], THRESHOLDS[key], values[0], values.at(-1), Math.max(...values), verdicts[key]];
      }),
    ]);
    log(`Redis: ${retainedJobsPerMin} finished jobs kept per minute, ${redisBytesPerRetainedJob ?? '-'} bytes of growth per kept job (retention in workers/queues.ts)`);
    log(`arrivals ${total} (${JSON.stringify(counts)}); mails ${sink.received.length}; deliveries sent ${deliveries!.sent}; soak reminders ${JSON.stringify(reminderStates)}; audit ${audit.ok ? 'ok' : 'BROKEN'} (${audit.projectsChecked} projects); errors ${errors.length}`);
    for (const error of errors.slice(0, 10)) log(`error at ${error.atS}s: ${error.what}`);
    const file = writeResults('soak.json', {
      bench: 'soak',
      shortened: seconds < 1200,
      settings: { seconds, rate, sampleSeconds, warmupSeconds },
      thresholds: THRESHOLDS,
      slopes,
      verdicts,
      redisGrowth: { retainedJobsPerMin, redisBytesPerRetainedJob },
      errors: { count: errors.length, first: errors.slice(0, 20) },
      counts: { arrivals: total, ...counts, mails: sink.received.length, deliveriesSent: deliveries!.sent, reminders: reminderStates, auditProjects: audit.projectsChecked },
      samples,
      machine,
    });
    log(`wrote ${file}`);
    client.close();
    await reminders.close();
    producer.disconnect();
    await pgAdmin.close();
    await db.close();
  } catch (error) {
    failed = true;
    console.error('[soak] aborted:', error);
  } finally {
    await teardown.release();
  }
  // The dispatcher exits 1 on a throw: a failed target or invariant fails the run.
  if (failed) throw new Error('soak: FAILED (see the table and the errors above; bench/results/soak.json)');
  console.log('\nsoak: all targets met, 0 errors');
}
