import type { EngineDeps } from '../engine/engine-deps.ts';
import { seedDemo, type DemoSeedReport } from '../usecases/demo/seed-demo.ts';

export type { DemoSeedReport };

/** `demo:seed`: see seedDemo. */
export async function demoSeedCommand(deps: EngineDeps): Promise<DemoSeedReport> {
  return seedDemo(deps);
}
