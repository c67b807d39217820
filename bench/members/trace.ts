import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Tx } from '../../apps/server/src/core/db/database.ts';
import { timed } from './stats.ts';

/** One statement a service sent through `tx.execute`, with its time and (when asked) its EXPLAIN (ANALYZE, BUFFERS) plan. */
export type TracedStatement = { text: string; params: unknown[]; ms: number; plan?: string };

const dialect = new PgDialect();

/**
 * Wraps a transaction so the statements services run through `execute` (all the raw-SQL audience queries) are
 * recorded. With `explain`, each is first run under EXPLAIN (ANALYZE, BUFFERS) inside a savepoint that is rolled back,
 * then run for real, so the service sees its normal results and the plan is that of the very same SQL and parameters.
 * Production code is untouched: this is a proxy around the Drizzle transaction the bench passes as `ctx.db`.
 */
export function traceTx(tx: Tx, statements: TracedStatement[], options: { explain: boolean }): Tx {
  const execute = async (query: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    let plan: string | undefined;
    if (options.explain) {
      await tx.execute(sql`savepoint bench_explain`);
      const result = (await tx.execute(sql`explain (analyze, buffers) ${query}`)) as unknown as { rows: Array<Record<string, string>> };
      await tx.execute(sql`rollback to savepoint bench_explain`);
      plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
    }
    const { ms, value } = await timed(async () => tx.execute(query));
    statements.push({ text, params, ms, ...(plan ? { plan } : {}) });
    return value;
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'execute') return execute;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The SQL text with long parameters shortened, for printing. */
export function describeStatement(s: TracedStatement): string {
  const params = s.params.map((p, i) => {
    const text = typeof p === 'string' ? p : JSON.stringify(p);
    return `$${i + 1} = ${text.length > 80 ? `${text.slice(0, 60)}… (${text.length.toLocaleString('en-US')} chars)` : text}`;
  });
  return `${s.text.replace(/\s+/g, ' ').trim()}\n  -- ${params.join(', ')}`;
}
