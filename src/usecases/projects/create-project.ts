import type { CreateProjectInput } from '../../../machines/project.schemas.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { createProject as createEngineProject } from '../../engine/create-project.ts';
import type { Channel, EngineDeps } from '../../engine/engine-deps.ts';

/** Proposes a project (proposed.draft), with its first audit event and its human code. */
export function createProject(deps: EngineDeps, actor: Actor, input: CreateProjectInput, channel: Channel, idempotencyKey?: string) {
  return createEngineProject(deps, actor, input, channel, idempotencyKey);
}
