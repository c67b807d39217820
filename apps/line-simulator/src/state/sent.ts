import { hash } from 'node:crypto';
import type { LineMessage, SendEndpoint, SendRecord } from './types.ts';

// LINE message ids are numeric strings; a counter from a fixed base keeps them unique and ordered.
const MESSAGE_ID_BASE = 600_000_000_000_000_000n;
export const messageIdOf = (seq: bigint): string => String(MESSAGE_ID_BASE + seq);

const QUOTABLE = new Set(['text', 'textV2', 'sticker', 'image', 'video']);

/**
 * The quote token of a message the bot sent: 43 base64url characters (LINE's length), a hash of the simulator's seed and
 * the message id. Made from the id rather than drawn from the random stream, so it can be made whenever the message is
 * first read (the phone, the admin API, a push's answer) and is the same on every read, in any order of reads; two
 * messages never share an id, so they never share a token.
 */
export function quoteTokenFor(seed: string, messageId: string, type: string): string | null {
  return QUOTABLE.has(type) ? hash('sha256', `${seed}\u0000quote\u0000${messageId}`, 'base64url') : null;
}

/**
 * One message of one send in one guest's chat. A multicast of 500 guests × n messages made 500 × n timeline objects of
 * nine fields, each with a message id and a quote token (a sha256) made on the spot, though almost none is ever read:
 * it was most of the simulator's CPU per multicast (bench:push). Now an entry is a reference to the send's shared record
 * and its slot in it (recipient index × n + bubble − 1); the send reserved the message ids of all its slots at once,
 * so the id and the quote token are made from the slot when read, the same values each time.
 */
export class BotEntry {
  readonly kind = 'bot' as const;
  seq = 0;
  readonly send: SendRecord;
  readonly slot: number;
  constructor(send: SendRecord, slot: number) {
    this.send = send;
    this.slot = slot;
  }

  get id(): string {
    const preset = this.send.presetIds;
    return preset ? preset[this.slot]!.id : messageIdOf(this.send.firstMessageSeq + BigInt(this.slot) + 1n);
  }
  get bubble(): number {
    return (this.slot % this.send.messages.length) + 1;
  }
  get message(): LineMessage {
    return this.send.messages[this.slot % this.send.messages.length]!;
  }
  get at(): number {
    return this.send.acceptedAt;
  }
  get requestId(): string {
    return this.send.requestId;
  }
  get endpoint(): SendEndpoint {
    return this.send.endpoint;
  }
  get quoteToken(): string | null {
    const preset = this.send.presetIds;
    return preset ? preset[this.slot]!.quoteToken : quoteTokenFor(this.send.tokenSeed, this.id, this.message.type);
  }

  /** The entry as a plain object, as it was stored before entries were references (JSON, tests, the admin API). */
  toJSON() {
    return { kind: this.kind, seq: this.seq, id: this.id, at: this.at, message: this.message, requestId: this.requestId, endpoint: this.endpoint, bubble: this.bubble, quoteToken: this.quoteToken };
  }
}

/**
 * Deliveries per guest of one requested aggregation unit, counted as they happen: a count per friend, indexed by the
 * friendship's ordinal in its channel (a typed array, not a map of user ids: one increment per recipient, and no
 * million-entry map rehashed while a campaign is sent), and how many guests have a count.
 */
export class UnitTally {
  counts = new Uint32Array(64);
  users = 0;

  add(ordinal: number): void {
    if (ordinal >= this.counts.length) {
      const grown = new Uint32Array(Math.max(ordinal + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    const before = this.counts[ordinal]!;
    if (before === 0) this.users++;
    this.counts[ordinal] = before + 1;
  }

  count(ordinal: number): number {
    return ordinal < this.counts.length ? this.counts[ordinal]! : 0;
  }
}
