import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import { createApp, type AppOptions } from '../../src/http/app.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import type { Database } from '../../src/store/database.ts';
import { TestClock } from './clock.ts';

export interface AuthTestServer {
  baseUrl: string;
  clock: TestClock;
  close: () => Promise<void>;
}

/** The whole app on a free port, with a mailer, a test clock and the sign-in settings under test. */
export async function startAuthTestServer(
  db: Database,
  mailer: Mailer,
  options: Partial<Pick<AppOptions, 'publicUrl' | 'signInLimits' | 'sessionIdleMinutes' | 'sessionAbsoluteHours'>> = {},
): Promise<AuthTestServer> {
  const clock = new TestClock('2026-06-01T01:00:00Z');
  const engine: EngineDeps = { db, machine: createProjectMachine(DEFAULT_LIFECYCLE_RULES), rules: DEFAULT_LIFECYCLE_RULES, countyCode: 'YC', now: clock.now };
  const { app } = createApp({
    engine,
    publicUrl: options.publicUrl ?? 'http://localhost',
    bodyLimit: '256kb',
    tokenCacheSeconds: 0,
    linkSecret: 'test-link-secret-0123456789abcdef0123',
    logError: (error) => console.error('unexpected', error),
    mailer,
    ...(options.signInLimits ? { signInLimits: options.signInLimits } : {}),
    ...(options.sessionIdleMinutes ? { sessionIdleMinutes: options.sessionIdleMinutes } : {}),
    ...(options.sessionAbsoluteHours ? { sessionAbsoluteHours: options.sessionAbsoluteHours } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, clock, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
