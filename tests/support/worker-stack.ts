import { smtpMailer } from '../../src/mail/mailer.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { SmtpSink } from './smtp-sink.ts';
import { apiClient, startTestApp, type TestApp } from './test-app.ts';
import { startTestWorkers } from './test-workers.ts';

export interface WorkerStack {
  database: TestDatabase;
  app: TestApp;
  api: ReturnType<typeof apiClient>;
  sink: SmtpSink;
  workers: Awaited<ReturnType<typeof startTestWorkers>>;
  stop: () => Promise<void>;
}

/** A fresh database, the app on it, an in-process SMTP server and the real workers on real Redis. */
export async function startWorkerStack(): Promise<WorkerStack> {
  const database = await createTestDatabase();
  const app = await startTestApp(database.db);
  const sink = new SmtpSink();
  const workers = await startTestWorkers(app, smtpMailer(await sink.start(), 'fundflow <noreply@fundflow.test>'));
  return {
    database,
    app,
    api: apiClient(app.baseUrl),
    sink,
    workers,
    stop: async () => {
      await workers.stop();
      await sink.stop();
      await app.close();
      await database.drop();
    },
  };
}
