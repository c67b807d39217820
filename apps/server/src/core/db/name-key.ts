import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * A name as the unique indexes on names compare it (tags_name_key and automation_rules_name_key, migration 0064):
 * folded by Unicode's compatibility forms (NFKC: full-width 「Ｖｉｐ１」 is 「vip1」, 「（２）」 is 「(2)」), then in
 * lower case, by PostgreSQL. Whoever looks a name up asks the database this very expression, so what it finds agrees
 * with what the index refuses: JavaScript's lower case and its Unicode version are not the database's (「İ」, a final
 * sigma, characters newer than the server's tables). The names themselves are kept as staff typed them.
 */
export function nameKeySql(column: AnyColumn | SQL): SQL {
  return sql`lower(normalize(${column}, NFKC))`;
}

/** The same for a name the app holds (a parameter). */
export function nameKeyOf(name: string): SQL {
  return sql`lower(normalize(${name}::text, NFKC))`;
}
