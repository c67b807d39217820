import { hash } from 'node:crypto';

// Every identifier the simulator invents comes from here, so a fixed seed gives the same ids run after run.
export type Random = {
  bytes(n: number): Buffer;
  hex(n: number): string;
  float(): number;
  int(maxExclusive: number): number;
  uuid(): string;
  ulid(timeMs: number): string;
  token(n: number): string;
};

/** sha256 blocks made at once when the pool runs dry: the same stream as one at a time, without a copy per block. */
const POOL_BLOCKS = 64;

export function createRandom(seed: string): Random {
  let counter = 0;
  let pool = Buffer.alloc(0);
  let offset = 0;
  // The stream is sha256(seed NUL counter) for counter 0, 1, 2…, concatenated. Every id the simulator invents for a
  // multicast's recipients comes from it (bench/push: 500 message ids and quote tokens a request), so it is made in
  // blocks, with the one-shot hash, into one buffer read at an offset.
  const bytes = (n: number): Buffer => {
    if (pool.length - offset < n) {
      const rest = pool.subarray(offset);
      const blocks = Math.max(POOL_BLOCKS, Math.ceil((n - rest.length) / 32));
      const fresh = Buffer.allocUnsafe(rest.length + blocks * 32);
      rest.copy(fresh, 0);
      for (let i = 0; i < blocks; i++) hash('sha256', `${seed}\u0000${counter++}`, 'buffer').copy(fresh, rest.length + i * 32);
      pool = fresh;
      offset = 0;
    }
    const out = Buffer.from(pool.subarray(offset, offset + n));
    offset += n;
    return out;
  };
  const float = () => bytes(6).readUIntBE(0, 6) / 2 ** 48;
  return {
    bytes,
    hex: (n) => bytes(Math.ceil(n / 2)).toString('hex').slice(0, n),
    float,
    int: (max) => Math.floor(float() * max),
    uuid() {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
    ulid(timeMs) {
      return encodeTime(timeMs) + encodeBase32(bytes(10), 16);
    },
    token(n) {
      return bytes(Math.ceil((n * 3) / 4) + 2)
        .toString('base64url')
        .slice(0, n);
    },
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let t = Math.max(0, Math.floor(ms));
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeBase32(buf: Buffer, chars: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.padEnd(chars, '0');
}

// Stable per-key hash for things that must not depend on call order (friend ids, names, sampling).
export function stableHex(key: string, n = 64): string {
  return hash('sha256', key, 'hex').slice(0, n);
}

export function stableFloat(key: string): number {
  return parseInt(stableHex(key, 12), 16) / 2 ** 48;
}
