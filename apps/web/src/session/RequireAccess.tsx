import type { ReactNode } from 'react';
import { LazyForbiddenResult } from '../components/lazy-results.tsx';
import { useSession } from './session-context.ts';
import type { AccessRule } from './types.ts';

/** The page when the account may use it, otherwise a plain 403 result. The server enforces the same rule. */
export function RequireAccess({ rule, children }: { rule: AccessRule; children: ReactNode }) {
  const { allows } = useSession();
  return allows(rule) ? children : <LazyForbiddenResult />;
}
