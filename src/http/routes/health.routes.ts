import { Router } from 'express';
import type { Database } from '../../usecases/system/open-database.ts';
import { probeDatabase } from '../../usecases/system/probe-database.ts';
import type { Metrics } from '../metrics.ts';
import { sendProblem } from '../problem.ts';

export interface ReadinessProbe {
  name: string;
  check: () => Promise<void>;
}

const withTimeout = (work: Promise<void>, ms: number) =>
  Promise.race([work, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

export function databaseProbe(db: Database): ReadinessProbe {
  return { name: 'database', check: () => probeDatabase({ db }) };
}

export function healthRouter(probes: ReadinessProbe[], metrics: Metrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      probes.map(async (probe) => {
        try {
          await withTimeout(probe.check(), 2_000);
          return { name: probe.name, ok: true as const };
        } catch (error) {
          return { name: probe.name, ok: false as const, error: (error as Error).message };
        }
      }),
    );
    const failing = results.filter((result) => !result.ok);
    if (failing.length > 0) {
      return sendProblem(res, 503, '依赖服务不可用 / A dependency is unavailable', `not answering: ${failing.map((f) => f.name).join(', ')}`, {
        code: 'unavailable',
        checks: results,
      });
    }
    res.json({ status: 'ready', checks: results });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
