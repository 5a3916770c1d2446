import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import helmet from 'helmet';
import type { EngineDeps } from '../../src/engine/engine-deps.ts';
import { bearerAuth } from '../../src/http/auth.ts';
import { problemHandler, sendProblem } from '../../src/http/problem.ts';
import { reportsRouter } from '../../src/http/routes/reports.routes.ts';

export interface ReportsServer {
  baseUrl: string;
  close: () => Promise<void>;
}

/**
 * The reports router composed as src/http/app.ts composes the others (helmet, bearer tokens under
 * /api/v1, the problem handler), on a free port, until app.ts mounts it itself.
 */
export async function startReportsServer(engine: EngineDeps): Promise<ReportsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use('/api/v1', bearerAuth(engine.db, 0), reportsRouter(engine));
  app.use((req, res) => {
    sendProblem(res, 404, '未找到 / Not found', `no route for ${req.method} ${req.path}`, { code: 'not-found' });
  });
  app.use(problemHandler((error) => console.error('unexpected', error)));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
