/**
 * 德安 keeps Oracle DATEs in Asia/Taipei wall-clock time with second resolution (pms.md §1.3). The simulator works
 * in "wall-clock milliseconds": the local time read as if it were UTC, so formatting needs no time-zone table.
 */
export function formatLocal(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatLocalDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** `YYYY-MM-DD HH:mm:ss` (or a date) to wall-clock ms; NaN when the text is not in that form. */
export function parseLocal(text: string): number {
  const m = LOCAL.exec(text);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return formatLocal(ms).slice(0, m[4] === undefined ? 10 : 19) === text ? ms : Number.NaN;
}

/** Real time in Taipei as wall-clock ms (UTC+8, no daylight saving). */
export function taipeiNow(): number {
  return Date.now() + 8 * 3_600_000;
}
