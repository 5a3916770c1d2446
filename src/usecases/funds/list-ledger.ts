import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listLedgerEntries, type LedgerFilter } from '../../store/ledger.store.ts';
import { requireReader } from './read-policy.ts';

/** The 资金台账, newest last, keyset-paged by entry id. */
export async function listLedger(deps: EngineDeps, actor: Actor, filter: LedgerFilter) {
  requireReader('money', actor.role, 'the ledger');
  const rows = await listLedgerEntries(deps.db, filter);
  return {
    items: rows.map((row) => ({
      id: row.id,
      fundId: row.fund_id,
      kind: row.kind,
      projectId: row.project_id,
      projectCode: row.project_code,
      item: row.item,
      amountFen: row.amount_fen,
      actorId: row.actor_id,
      event: row.event_type ? { type: row.event_type, seq: row.event_seq } : null,
      reason: row.reason,
      at: new Date(row.occurred_at).toISOString(),
    })),
    next: rows.length === filter.limit ? rows.at(-1)!.id : null,
  };
}
