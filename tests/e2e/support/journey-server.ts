import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_LIFECYCLE_RULES } from '../../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../../machines/project.machine.ts';
import { addApplicantUser, addStaffUser, ensureStandardOrganisations, type DirectoryUser } from '../../../src/admin/standard-directory.ts';
import type { EngineDeps } from '../../../src/engine/engine-deps.ts';
import { createApp } from '../../../src/http/app.ts';
import { smtpMailer } from '../../../src/mail/mailer.ts';
import { createFund } from '../../../src/store/ledger.store.ts';
import { addOrganisation } from '../../../src/store/users.store.ts';
import type { RunningWorkers } from '../../../workers/run-workers.ts';
import { TestClock } from '../../support/clock.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { SmtpSink } from '../../support/smtp-sink.ts';
import { startTestWorkers } from '../../support/test-workers.ts';
import type { TestApp } from '../../support/test-app.ts';

export type JourneyRole = 'applicant' | 'center' | 'finance' | 'leadership' | 'inspector' | 'supervisor' | 'evaluator';

export interface JourneyServer {
  baseUrl: string;
  sink: SmtpSink;
  db: TestDatabase;
  users: Record<JourneyRole, DirectoryUser & { name: string }>;
  stop: () => Promise<void>;
}

const NAMES: Record<JourneyRole, string> = {
  applicant: '李娜',
  center: '王敏',
  finance: '赵强',
  leadership: '陈县长',
  inspector: '刘洋',
  supervisor: '张主任',
  evaluator: '孙评',
};

/**
 * The service as `npm start` composes it (createApp with an SMTP mailer, the relay and effects
 * workers on Redis), over a fresh PostgreSQL database, mailing into a real SMTP server in the test.
 * The clock is the real one: the browser reads "today" from its own clock.
 */
export async function startJourneyServer(): Promise<JourneyServer> {
  const db = await createTestDatabase();
  const sink = new SmtpSink();
  const smtpUrl = await sink.start();
  const mailer = smtpMailer(smtpUrl, 'fundflow <fundflow@yc.test>');
  const clock = new TestClock(new Date());
  const now = () => new Date();
  const engine: EngineDeps = { db: db.db, machine: createProjectMachine(DEFAULT_LIFECYCLE_RULES), rules: DEFAULT_LIFECYCLE_RULES, countyCode: 'YC', now };

  const orgs = await ensureStandardOrganisations(db.db);
  const unit = await addOrganisation(db.db, { name: '阳城县润城镇人民政府', kind: 'unit' });
  const users = {} as JourneyServer['users'];
  for (const role of ['center', 'finance', 'leadership', 'inspector', 'supervisor', 'evaluator'] as const) {
    users[role] = { ...(await addStaffUser(db.db, orgs, role, `${role}@yc.test`, NAMES[role])), name: NAMES[role] };
  }
  users.applicant = { ...(await addApplicantUser(db.db, unit.id, 'applicant@yc.test', NAMES.applicant)), name: NAMES.applicant };
  await createFund(
    db.db,
    { sourceDocument: '晋企发〔2023〕1号', name: '示范县奖励资金', amountFen: 1_000_000_000, receivedOn: '2026-01-05', categoryCeilingsFen: {}, itemCeilingsFen: {} },
    users.center.id,
    now().toISOString(),
  );

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { app } = createApp({
    engine,
    publicUrl: baseUrl,
    bodyLimit: '256kb',
    tokenCacheSeconds: 0,
    linkSecret: 'journey-link-secret-0123456789abcdef0123',
    logError: (error) => console.error('unexpected', error),
    mailer,
  });
  server.on('request', app);

  const appLike = { db: db.db, engine, clock } as unknown as TestApp;
  const workers: RunningWorkers = await startTestWorkers(appLike, mailer, { names: ['relay', 'effects'], publicUrl: baseUrl });
  return {
    baseUrl,
    sink,
    db,
    users,
    stop: async () => {
      await workers.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      mailer.close();
      await sink.stop();
      await db.drop();
    },
  };
}
