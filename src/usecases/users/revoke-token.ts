import type { EngineDeps } from '../../engine/engine-deps.ts';
import { revokeApiToken, type ApiTokenRow } from '../../store/users.store.ts';

export type { ApiTokenRow };

/** Revokes an API token given itself or its SHA-256 in hex; undefined when no such token. */
export function revokeToken(deps: Pick<EngineDeps, 'db'>, tokenOrHash: string, by: string | null): Promise<ApiTokenRow | undefined> {
  return revokeApiToken(deps.db, tokenOrHash, by);
}
