import type { ResolvedOptions } from './options.ts';
import type { SimClock } from './state/clock.ts';
import type { Random } from './state/random.ts';
import type { Store } from './state/types.ts';

// Everything a handler needs, passed explicitly instead of hanging it on the Fastify instance.
export type SimContext = {
  store: Store;
  clock: SimClock;
  random: Random;
  options: ResolvedOptions;
  /** Background work (webhook redeliveries) so tests can await quiescence. */
  pending: Set<Promise<unknown>>;
};

export function track<T>(ctx: SimContext, p: Promise<T>): Promise<T> {
  ctx.pending.add(p);
  const done = () => ctx.pending.delete(p);
  p.then(done, done);
  return p;
}

export async function settle(ctx: SimContext): Promise<void> {
  while (ctx.pending.size > 0) await Promise.allSettled([...ctx.pending]);
}
