import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { createApp } from '../../src/http/app.ts';
import { buildOpenApiDocument } from '../../src/http/openapi.ts';
import { checksQueue, effectsQueue, remindersQueue } from '../../workers/queues.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/** Every method and path the Express router stack answers, nested routers included, as OpenAPI paths. */
function mountedRoutes(stack: Layer[], prefix = ''): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const path of [layer.route.path].flat()) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          routes.push({ method, path: (prefix + path).replace(/:(\w+)/g, '{$1}').replace(/\{\*(\w+)\}/g, '{$1}') });
        }
      }
    } else if (layer.handle.stack) {
      const mount = [layer.rawPath ?? '/'].flat()[0]!;
      routes.push(...mountedRoutes(layer.handle.stack, prefix + (mount === '/' ? '' : mount)));
    }
  }
  return routes;
}

let database: TestDatabase;
let redis: Redis;

beforeAll(async () => {
  database = await createTestDatabase(2);
  redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await database?.drop();
});

describe('/openapi.json documents every mounted route', () => {
  it('walks the router stack of the app as npm start builds it (queues and dev pages on) and finds no undocumented route', async () => {
    const rules = DEFAULT_LIFECYCLE_RULES;
    const queues = [effectsQueue(redis), remindersQueue(redis), checksQueue(redis)];
    const { app } = createApp({
      engine: { db: database.db, machine: createProjectMachine(rules), rules, countyCode: 'YC', now: () => new Date() },
      publicUrl: 'http://localhost',
      bodyLimit: '256kb',
      tokenCacheSeconds: 0,
      logError: () => {},
      devPages: true,
      linkSecret: 'openapi-test-secret-0123456789abcdef',
      queues,
    });
    const document = buildOpenApiDocument('http://localhost') as { paths: Record<string, Record<string, unknown>> };
    // A library UI mounted whole (Swagger UI, Bull Board) is documented once at its mount point.
    const mounts = Object.entries(document.paths)
      .filter(([, item]) => Object.values(item).some((operation) => (operation as Record<string, unknown>)['x-mount'] === true))
      .map(([path]) => path);
    const routes = mountedRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(routes.length).toBeGreaterThan(30);
    const undocumented = routes
      .filter((route) => !mounts.some((mount) => route.path === mount || route.path.startsWith(`${mount}/`)))
      .filter((route) => !(document.paths[route.path]?.[route.method] ?? (route.method === 'head' && document.paths[route.path]?.get)))
      .map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect(undocumented).toEqual([]);
    // The ones the issue names, explicitly.
    for (const path of ['/api/v1/tasks', '/api/v1/tasks/{id}/decision', '/api/v1/tasks/{id}/delegate', '/t/{token}']) {
      expect(routes.some((route) => route.path === path)).toBe(true);
      expect(document.paths[path]).toBeDefined();
    }
    await Promise.all(queues.map((queue) => queue.close()));
  });
});
