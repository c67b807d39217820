import { useMemo } from 'react';
import { isApiError } from '../../lib/api-error.ts';
import { type DraftGroup, incompleteKeys, issuesByKey, type SegmentDefinition, toDefinition, useMemberCount } from '../members/index.ts';
import { useDebounced } from '../../lib/use-debounced.ts';

const DELAY_MS = 400;

/**
 * The live count while a definition is edited: POST /api/members/count once the draft has settled and every condition is
 * complete. Server validation issues come back per condition (by node key) so the builder shows them in place.
 */
export function useLiveCount(draft: DraftGroup) {
  const definition = useMemo(() => toDefinition(draft), [draft]);
  const incomplete = useMemo(() => new Set(incompleteKeys(draft)), [draft]);
  const json = useDebounced(JSON.stringify(definition), DELAY_MS);
  const settled = useMemo(() => JSON.parse(json) as SegmentDefinition, [json]);
  const pending = json !== JSON.stringify(definition);
  // Only a settled, complete draft is counted (a stale settled copy may still hold the condition being completed).
  const count = useMemberCount({ definition: settled }, { enabled: incomplete.size === 0 && !pending, keepPrevious: true });
  const error = count.error;
  const issues = useMemo(() => (isApiError(error) ? issuesByKey(draft, error.issues) : new Map<string, string[]>()), [error, draft]);
  return {
    definition,
    incomplete,
    issues,
    count: incomplete.size === 0 && !count.isError ? count.data : undefined,
    error,
    loading: incomplete.size === 0 && (pending || count.isFetching),
  };
}

export type LiveCount = ReturnType<typeof useLiveCount>;
