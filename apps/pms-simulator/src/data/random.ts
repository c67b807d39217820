import { createHash } from 'node:crypto';

/**
 * A seeded generator (sfc32): the same seed gives the same data set, change stream and faults, run after run.
 * `fork(label)` gives an independent stream, so adding draws to one part of the model does not shift another.
 */
export type Rng = {
  float(): number;
  int(maxExclusive: number): number;
  range(min: number, maxInclusive: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T;
  digits(n: number): string;
  fork(label: string): Rng;
};

export function createRng(seed: string): Rng {
  const h = createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  const rng: Rng = {
    float: next,
    int: (max) => Math.floor(next() * max),
    range: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(entries) {
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [value, w] of entries) {
        x -= w;
        if (x < 0) return value;
      }
      return entries[entries.length - 1]![0];
    },
    digits: (n) => Array.from({ length: n }, () => Math.floor(next() * 10)).join(''),
    fork: (label) => createRng(`${seed}\u0000${label}`),
  };
  return rng;
}
