import type { OverlapDecision, ProjectContext } from '../../machines/project.types.ts';
import type { Database } from '../store/database.ts';

/** Placeholder until the pure 就高不重复 rule lands: reports no overlap. */
export async function decideOverlap(_db: Database, _context: ProjectContext, _today: string): Promise<OverlapDecision> {
  return { outcome: 'no-overlap', approvableFen: null, reason: '' };
}
