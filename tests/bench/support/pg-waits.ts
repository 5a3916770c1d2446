import pg from 'pg';
import { round } from './proc.ts';

/**
 * What the backends of the bench database are doing, sampled from pg_stat_activity every few ms:
 * running on CPU, waiting for a row lock held by another transaction (Lock/transactionid, tuple),
 * flushing the WAL at commit (IO/WALSync, LWLock/WALWrite), idle in a transaction (waiting for the
 * client's next statement) or idle. The shares say where a contended phase spends its time.
 */
export interface WaitProfile {
  samples: number;
  /** Mean number of backends in each activity per sample (sums to the mean backends seen). */
  meanBackends: Record<string, number>;
}

export interface WaitSampler {
  /** Starts a fresh window. */
  reset: () => void;
  /** The profile of the window since the last reset. */
  read: () => WaitProfile;
  stop: () => Promise<void>;
}

function activityOf(row: { state: string | null; wait_event_type: string | null; wait_event: string | null }): string {
  if (row.state === 'idle') return 'idle';
  if (row.state === 'idle in transaction') return row.wait_event_type === 'Client' || !row.wait_event_type ? 'idle in transaction (client round trip)' : `idle in transaction (${row.wait_event_type})`;
  if (!row.wait_event_type) return 'active: on CPU';
  if (row.wait_event_type === 'Lock') return `waiting: row/tx lock (${row.wait_event})`;
  if (row.wait_event_type === 'Client') return `active: client (${row.wait_event})`;
  return `waiting: ${row.wait_event_type}/${row.wait_event}`;
}

/** Samples pg_stat_activity of `databaseName` over its own connection every `everyMs`. */
export async function startWaitSampler(url: string, databaseName: string, everyMs = 20): Promise<WaitSampler> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  const { rows: me } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const ownPid = me[0]!.pid;
  let counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    client
      .query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity
          WHERE datname = $1 AND pid <> $2 AND backend_type = 'client backend'`,
        [databaseName, ownPid],
      )
      .then(({ rows }) => {
        samples += 1;
        for (const row of rows) {
          const key = activityOf(row);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      })
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return {
    reset: () => {
      counts = new Map();
      samples = 0;
    },
    read: () => ({
      samples,
      meanBackends: Object.fromEntries(
        [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => [key, round(count / (samples || 1), 2)]),
      ),
    }),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await client.end().catch(() => {});
    },
  };
}

/** Several windows of one kind merged (weighted by their samples). */
export function mergeWaitProfiles(parts: WaitProfile[]): WaitProfile {
  const samples = parts.reduce((sum, part) => sum + part.samples, 0);
  const totals = new Map<string, number>();
  for (const part of parts) {
    for (const [key, mean] of Object.entries(part.meanBackends)) totals.set(key, (totals.get(key) ?? 0) + mean * part.samples);
  }
  return {
    samples,
    meanBackends: Object.fromEntries([...totals.entries()].sort((a, b) => b[1] - a[1]).map(([key, total]) => [key, round(total / (samples || 1), 2)])),
  };
}
