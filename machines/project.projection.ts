import type { Grade } from '../src/domain/evaluation-grade.ts';
import type { StateTag } from '../src/domain/vocabulary.ts';
import { PROJECT_MACHINE_VERSION } from './project.machine.ts';
import type { ProjectSnapshot } from './project.refusals.ts';

/**
 * What readers need from a snapshot, as the columns of `projects` the transition's own statement
 * writes (migration 006). Readers use these columns, or restore (project.restore.ts) for the full
 * context; none reads the stored JSON by path, so a new machine version only needs a migration.
 */
export interface ProjectProjection {
  machineVersion: string;
  /** The current state's XState tags, sorted. */
  tags: StateTag[];
  fundId: string | null;
  /** The latest evaluation's grade once the Finance Bureau accepted it. */
  acceptedGrade: Grade | null;
}

export function projectionOf(snapshot: ProjectSnapshot): ProjectProjection {
  const accepted = snapshot.matches({ evaluated: 'accepted' }) || snapshot.matches('closed');
  return {
    machineVersion: PROJECT_MACHINE_VERSION,
    // The machine's tags are typed by StateTag (setup types); the snapshot type widens them to string.
    tags: ([...snapshot.tags] as StateTag[]).sort(),
    fundId: snapshot.context.fundId,
    acceptedGrade: accepted ? (snapshot.context.evaluations.at(-1)?.grade ?? null) : null,
  };
}
