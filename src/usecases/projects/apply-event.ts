import { applyEvent as applyEngineEvent, type CommandAnswer, type EventCommand } from '../../engine/apply-event.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';

export type { CommandAnswer, EventCommand };

/** Sends one event to one project: the engine's load → restore → authorise → transition → one statement. */
export function applyEvent(deps: EngineDeps, command: EventCommand): Promise<CommandAnswer> {
  return applyEngineEvent(deps, command);
}
