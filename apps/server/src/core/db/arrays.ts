import { sql, type SQL } from 'drizzle-orm';

/**
 * Arrays as one text parameter in PostgreSQL's array syntax, cast on the server. Both drivers (node-postgres and PGlite)
 * pass it the same way, and 100,000 ids stay a single parameter.
 */
function literal(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export function uuidArray(ids: readonly string[]): SQL {
  return sql`${literal(ids)}::uuid[]`;
}

export function textArray(values: readonly string[]): SQL {
  return sql`${literal(values)}::text[]`;
}

export function intArray(values: readonly number[]): SQL {
  return sql`${literal(values.map((v) => String(Math.trunc(v))))}::int[]`;
}
