import type { Role } from '../../../config/roles.ts';
import { mayRead, READ_POLICIES, type ReadScope } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';

/** Refuses a reader the one policy table (src/domain/authorization.ts READ_POLICIES) does not name. */
export function requireReader(scope: ReadScope, role: Role, what: string): void {
  if (!mayRead(scope, role)) throw new AppError('forbidden', `${what} is for ${READ_POLICIES[scope].join(', ')}, not ${role}`);
}

export function requireWriter(roles: readonly Role[], role: Role, what: string): void {
  if (!roles.includes(role)) throw new AppError('forbidden', `${what} is for ${roles.join(', ')}, not ${role}`);
}
