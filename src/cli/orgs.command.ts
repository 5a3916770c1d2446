import { z } from 'zod';
import { creditCodeSchema } from '../../machines/project.schemas.ts';
import { AppError } from '../engine/app-error.ts';
import type { EngineDeps } from '../engine/engine-deps.ts';
import { addOrganisation, type OrgKind, type OrgRow } from '../usecases/orgs/add-organisation.ts';
import { listOrganisations } from '../usecases/orgs/list-organisations.ts';
import { CommandError, parseFlags } from './cli-errors.ts';

export const ORG_KINDS = ['center', 'finance', 'leadership', 'unit', 'enterprise', 'authority', 'operator'] as const satisfies readonly OrgKind[];

export const addOrganisationFlags = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  kind: z.enum(ORG_KINDS, { message: `must be one of ${ORG_KINDS.join(', ')}` }),
  creditCode: creditCodeSchema.optional(),
});

export interface OrganisationOutput {
  id: string;
  name: string;
  kind: OrgKind;
  creditCode: string | null;
}

export function organisationOutput(row: OrgRow): OrganisationOutput {
  return { id: row.id, name: row.name, kind: row.kind, creditCode: row.credit_code };
}

/** `orgs:add --name <name> --kind <kind> [--credit-code X]` */
export async function addOrganisationCommand(db: EngineDeps['db'], flags: z.input<typeof addOrganisationFlags>): Promise<OrganisationOutput> {
  const input = parseFlags(addOrganisationFlags, flags);
  try {
    const row = await addOrganisation({ db }, {
      name: input.name,
      kind: input.kind,
      ...(input.creditCode ? { creditCode: input.creditCode } : {}),
    });
    return organisationOutput(row);
  } catch (error) {
    if (error instanceof AppError && error.code === 'bad-input') {
      throw new CommandError(`an organisation named ${JSON.stringify(input.name)} already exists (see orgs:list)`);
    }
    throw error;
  }
}

/** `orgs:list` */
export async function listOrganisationsCommand(db: EngineDeps['db']): Promise<OrganisationOutput[]> {
  return (await listOrganisations({ db })).map(organisationOutput);
}
