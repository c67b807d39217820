/** One page of a paginated list endpoint. */
export type Page<T> = { data: T[]; total: number; page: number; pageSize: number };

export const PAGE_SIZES = [10, 20, 50, 100];

/** Reads a positive integer search parameter, falling back when absent or malformed. */
export function intParam(value: string | null, fallback: number, max = 100_000): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 && parsed <= max ? parsed : fallback;
}
