import { findProjectFacts, type ProjectFacts } from '../../store/tasks.store.ts';
import type { Database } from './effect-deps.ts';
import { EffectRefused } from './effect-deps.ts';

export async function factsOf(db: Database, projectId: string, seq: number): Promise<ProjectFacts> {
  const facts = await findProjectFacts(db, projectId, seq);
  if (!facts) throw new EffectRefused(`project ${projectId} does not exist`);
  return facts;
}
