import http from 'node:http';
import { round } from './proc.ts';

/** What one operation of a closed-loop client reports: 'ok', or a label for the failure (an HTTP status, 'error'). */
export type Outcome = 'ok' | string;

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export interface LoadResult {
  concurrency: number;
  seconds: number;
  ok: number;
  opsPerSecond: number;
  latency: LatencySummary;
  /** Failures by label (HTTP status or error name); a 409 is kept apart in `conflicts`. */
  failures: Record<string, number>;
  conflicts: number;
  sampleFailures: string[];
}

export function summarise(samples: Float64Array | number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    meanMs: round(sorted.length ? sum / sorted.length : 0, 3),
    p50Ms: round(at(0.5), 3),
    p90Ms: round(at(0.9), 3),
    p99Ms: round(at(0.99), 3),
    p999Ms: round(at(0.999), 3),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : 0, 3),
  };
}

/** What one closed-loop run collected, before it is summarised (slices of a phase are merged first). */
export interface RawLoad {
  concurrency: number;
  seconds: number;
  latencies: number[];
  failures: Record<string, number>;
  conflicts: number;
  sampleFailures: string[];
}

/**
 * Runs `concurrency` closed-loop clients for `seconds`: each sends its next operation as soon as
 * the previous one answered. Latency is recorded for successful operations only.
 */
export async function runClosedLoop(
  concurrency: number,
  seconds: number,
  operation: (client: number, iteration: number) => Promise<{ outcome: Outcome; detail?: string }>,
): Promise<RawLoad> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const sampleFailures: string[] = [];
  let conflicts = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (id: number) => {
    for (let iteration = 0; performance.now() < deadline; iteration += 1) {
      const t0 = performance.now();
      let result: { outcome: Outcome; detail?: string };
      try {
        result = await operation(id, iteration);
      } catch (error) {
        result = { outcome: (error as { code?: string }).code ?? (error as Error).name ?? 'error', detail: String((error as Error).message ?? error) };
      }
      const elapsed = performance.now() - t0;
      if (result.outcome === 'ok') {
        latencies.push(elapsed);
      } else if (result.outcome === '409') {
        conflicts += 1;
      } else {
        failures[result.outcome] = (failures[result.outcome] ?? 0) + 1;
        if (sampleFailures.length < 5) sampleFailures.push(`${result.outcome}: ${(result.detail ?? '').slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => client(id)));
  return { concurrency, seconds: (performance.now() - started) / 1000, latencies, failures, conflicts, sampleFailures };
}

/** One summary over one or more runs (the slices of an interleaved phase). */
export function summariseLoad(parts: RawLoad[]): LoadResult {
  const latencies = parts.flatMap((part) => part.latencies);
  const seconds = parts.reduce((sum, part) => sum + part.seconds, 0);
  const failures: Record<string, number> = {};
  for (const part of parts) for (const [key, count] of Object.entries(part.failures)) failures[key] = (failures[key] ?? 0) + count;
  return {
    concurrency: parts[0]?.concurrency ?? 0,
    seconds: round(seconds, 2),
    ok: latencies.length,
    opsPerSecond: round(latencies.length / (seconds || 1), 1),
    latency: summarise(latencies),
    failures,
    conflicts: parts.reduce((sum, part) => sum + part.conflicts, 0),
    sampleFailures: parts.flatMap((part) => part.sampleFailures).slice(0, 5),
  };
}

export async function closedLoop(
  concurrency: number,
  seconds: number,
  operation: (client: number, iteration: number) => Promise<{ outcome: Outcome; detail?: string }>,
): Promise<LoadResult> {
  return summariseLoad([await runClosedLoop(concurrency, seconds, operation)]);
}

/** A small keep-alive JSON client on node:http (lighter on the client's CPU than fetch). */
export function keepAliveClient(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  const send = (method: 'GET' | 'POST', path: string, token: string | undefined, body: unknown): Promise<{ status: number; text: string }> => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  };
  return {
    post: (path: string, token: string, body: unknown) => send('POST', path, token, body),
    get: (path: string, token?: string) => send('GET', path, token, undefined),
    close: () => agent.destroy(),
  };
}
