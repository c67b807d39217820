import type { Permission } from '@innkeeper/contracts';
import { createContext, useContext } from 'react';
import type { AccessRule, Me } from './types.ts';

export type Session = {
  me: Me;
  can: (permission: Permission) => boolean;
  allows: (rule: AccessRule) => boolean;
};

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in account; only usable below the session gate. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside <SessionGate>');
  return session;
}

export function createSession(me: Me): Session {
  const granted = new Set<Permission>(me.permissions);
  const can = (permission: Permission) => granted.has(permission);
  const allows = (rule: AccessRule) =>
    (!rule.tenantKinds || rule.tenantKinds.includes(me.tenant.kind)) && (!rule.permissions || rule.permissions.some(can));
  return { me, can, allows };
}
