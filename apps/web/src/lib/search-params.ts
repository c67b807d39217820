export type ParamChanges = Record<string, string | number | undefined>;

/** New search params with `changes` applied; a filter change goes back to page 1 unless the page itself changes. */
export function withParamChanges(previous: URLSearchParams, changes: ParamChanges): URLSearchParams {
  const next = new URLSearchParams(previous);
  if (!('page' in changes)) next.delete('page');
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
  }
  return next;
}
