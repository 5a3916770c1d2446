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

/**
 * Runs `concurrency` closed-loop clients for `seconds`: each sends its next operation as soon as
 * the previous one answered. Latency is recorded for successful operations only.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  operation: (client: number, iteration: number) => Promise<{ outcome: Outcome; detail?: string }>,
): Promise<LoadResult> {
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
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    concurrency,
    seconds: round(elapsedSeconds, 2),
    ok: latencies.length,
    opsPerSecond: round(latencies.length / elapsedSeconds, 1),
    latency: summarise(latencies),
    failures,
    conflicts,
    sampleFailures,
  };
}

/** A small keep-alive JSON client on node:http (lighter on the client's CPU than fetch). */
export function keepAliveClient(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  const post = (path: string, token: string, body: unknown): Promise<{ status: number; text: string }> => {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': payload.length,
          },
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
  return { post, close: () => agent.destroy() };
}
