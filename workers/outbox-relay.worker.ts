import type { Queue } from 'bullmq';
import type { Database } from '../src/store/database.ts';

interface OutboxRow {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
  dedupe_key: string;
}

/**
 * Moves committed outbox rows of the topics that have a consumer to BullMQ, at least once; rows of
 * other topics stay in the outbox, durable, until a consumer for them exists. Rows are claimed with FOR UPDATE SKIP
 * LOCKED so several relays can run; the job id is the row's dedupe key, so a row relayed twice
 * (queue add succeeded, commit did not) is still one job.
 */
export async function relayOutboxBatch(db: Database, queue: Queue, topics: readonly string[], batchSize = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<OutboxRow>(
      `SELECT id, topic, payload, dedupe_key FROM outbox WHERE relayed_at IS NULL AND topic = ANY($2::text[])
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize, topics],
    );
    if (rows.length === 0) return 0;
    await queue.addBulk(rows.map((row) => ({ name: row.topic, data: row.payload, opts: { jobId: row.dedupe_key } })));
    await tx.query(`UPDATE outbox SET relayed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [
      rows.map((row) => row.id),
    ]);
    return rows.length;
  });
}

export interface OutboxRelay {
  stop: () => Promise<void>;
}

/** Polls the outbox (PGlite has no LISTEN across processes; a short poll serves both backends). */
export function startOutboxRelay(
  db: Database,
  queue: Queue,
  options: { topics: readonly string[]; intervalMs?: number; onError: (error: unknown) => void },
): OutboxRelay {
  const intervalMs = options.intervalMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await relayOutboxBatch(db, queue, options.topics)) > 0) {
        /* drain while there is work */
      }
    } catch (error) {
      options.onError(error);
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), intervalMs);
  };
  running = tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
