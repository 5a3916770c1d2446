import { hashLinkToken } from '../../store/tasks.store.ts';

/** The SHA-256 a link token is stored under; the HTTP layer binds its form nonce to it. */
export const hashToken = (token: string): string => hashLinkToken(token);
