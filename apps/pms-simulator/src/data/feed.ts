/**
 * Rows kept in `(UPD_DAT, key)` order, as the contract's keyset paging reads them (contract §4.1). A row has a
 * commit time (`visibleAt`) that may be later than its UPD_DAT: Oracle commits are not ordered by UPD_DAT, so a
 * reader can pass a row's UPD_DAT before the row is committed. Only the cursor overlap catches such a row.
 */
type Entry = { upd: string; key: string };

function compare(a: Entry, b: Entry): number {
  return a.upd < b.upd ? -1 : a.upd > b.upd ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export class Feed<T extends { UPD_DAT: string }> {
  readonly rows = new Map<string, T>();
  private readonly order: Entry[] = [];
  private readonly visibleAt = new Map<string, number>();
  private readonly indexedUpd = new Map<string, string>();

  private readonly keyOf: (row: T) => string;

  constructor(keyOf: (row: T) => string) {
    this.keyOf = keyOf;
  }

  get size(): number {
    return this.rows.size;
  }

  /** Insert or replace a row, committed (visible to readers) at `visibleAt` (wall-clock ms). */
  upsert(row: T, visibleAt = Number.NEGATIVE_INFINITY): void {
    const key = this.keyOf(row);
    // Rows are edited in place, so the position is found by the UPD_DAT it was indexed under, not the row's.
    const indexedAt = this.indexedUpd.get(key);
    if (indexedAt !== undefined) this.order.splice(this.indexOf({ upd: indexedAt, key }), 1);
    this.indexedUpd.set(key, row.UPD_DAT);
    this.rows.set(key, row);
    this.visibleAt.set(key, visibleAt);
    const entry = { upd: row.UPD_DAT, key };
    this.order.splice(this.lowerBound(entry), 0, entry);
  }

  get(key: string, now: number): T | undefined {
    const row = this.rows.get(key);
    return row && (this.visibleAt.get(key) ?? 0) <= now ? row : undefined;
  }

  /** Rows with UPD_DAT ≥ since, strictly after `after`, committed by `now`, at most `limit`; and whether more follow. */
  page(since: string | null, after: Entry | null, limit: number, now: number): { rows: T[]; hasMore: boolean } {
    let i = after ? this.upperBound(after) : since ? this.lowerBound({ upd: since, key: '' }) : 0;
    const rows: T[] = [];
    for (; i < this.order.length && rows.length < limit; i++) {
      const { key } = this.order[i]!;
      if ((this.visibleAt.get(key) ?? 0) <= now) rows.push(this.rows.get(key)!);
    }
    while (i < this.order.length && (this.visibleAt.get(this.order[i]!.key) ?? 0) > now) i++;
    return { rows, hasMore: i < this.order.length };
  }

  private lowerBound(e: Entry): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(this.order[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(e: Entry): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(this.order[mid]!, e) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(e: Entry): number {
    const i = this.lowerBound(e);
    if (i >= this.order.length || compare(this.order[i]!, e) !== 0) throw new Error(`feed index lost ${e.key}`);
    return i;
  }
}
