/** The two queues of 綁定審核: LINE bindings and PMS matches (issue 8). */
export type ReviewKind = 'line' | 'pms';

type FirstAnswer = { isFetched: boolean; data: readonly unknown[] | undefined };

/**
 * The queue the page opens on when the address names none, decided from the first answers: the PMS matches when no
 * LINE binding waits but matches do, otherwise the LINE bindings (also when they could not be read: the page says so).
 * Undefined while that is not known yet: the LINE queue has not answered, or answered empty and the PMS one has not.
 */
export function openingKind(line: FirstAnswer, pms: FirstAnswer): ReviewKind | undefined {
  if (!line.isFetched) return undefined;
  if (line.data === undefined || line.data.length > 0) return 'line';
  if (!pms.isFetched) return undefined;
  return (pms.data?.length ?? 0) > 0 ? 'pms' : 'line';
}

/**
 * The queue shown. One the address names (staff chose it, or a link such as PMS 串接's report did) always wins, and
 * 已處理 (`status`) is LINE's; otherwise the opening queue, undefined while it is not yet decided.
 */
export function shownKind(address: { kind: string | null; status: string | null }, opening: ReviewKind | undefined): ReviewKind | undefined {
  if (address.kind === 'pms') return 'pms';
  if (address.kind === 'line' || address.status !== null) return 'line';
  return opening;
}
