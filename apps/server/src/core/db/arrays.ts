import { sql, type SQL } from 'drizzle-orm';

/**
 * Arrays as one text parameter in PostgreSQL's array syntax, cast on the server. Both drivers (node-postgres and PGlite)
 * pass it the same way, and 100,000 ids stay a single parameter.
 */
function literal(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

/** NULL elements are written as NULL (the unquoted word), every other value quoted. */
export function uuidArray(ids: readonly (string | null)[]): SQL {
  return sql`${literal(ids)}::uuid[]`;
}

export function textArray(values: readonly (string | null)[]): SQL {
  return sql`${literal(values)}::text[]`;
}

export function intArray(values: readonly (number | null)[]): SQL {
  return sql`${literal(values.map((v) => (v === null ? null : String(Math.trunc(v)))))}::int[]`;
}

export function timestamptzArray(values: readonly Date[]): SQL {
  return sql`${literal(values.map((v) => v.toISOString()))}::timestamptz[]`;
}
