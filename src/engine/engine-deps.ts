import type { LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { ProjectMachine } from '../../machines/project.machine.ts';
import type { RequiredMaterials } from '../../config/required-materials.ts';
import type { Database } from '../store/database.ts';

/** What the engine is handed by the composition root; the clock is passed in so tests control time. */
export interface EngineDeps {
  db: Database;
  machine: ProjectMachine;
  rules: LifecycleRules;
  countyCode: string;
  now: () => Date;
  /** Required materials per event and item (config/required-materials.ts); default DEFAULT_REQUIRED_MATERIALS. */
  requiredMaterials?: RequiredMaterials;
}

export type Channel = 'api' | 'email' | 'page' | 'worker' | 'cli';
