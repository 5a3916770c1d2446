import { createContext, useContext } from 'react';
import type { SessionUser } from './api/types.ts';

export interface SessionValue {
  user: SessionUser;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

