/**
 * Pre-generated, pre-signed LINE webhook requests, so that signing and JSON building are not part of the load.
 *
 * The mix is what a hotel's Official Account receives: 60 % messages (mostly text, some stickers and images), 30 %
 * postbacks (one in three naming a tag, one in three a campaign's button that gives a tag — when a campaign is given —,
 * the rest rich-menu buttons that give nothing), 10 % follows (four in five from new friends,
 * the rest from existing friends unblocking). Messages and postbacks come from a few hundred existing friends. Every
 * request carries 1–20 events, uniformly distributed; every webhookEventId is unique.
 *
 * The generator keeps a ledger of what it produced (event ids, counts per type, new friends, (user, tag) pairs) so the
 * run can prove afterwards that nothing was lost or processed twice.
 */
import { signBody } from '@innkeeper/line-simulator';

export type PlannedRequest = {
  body: Buffer;
  signature: string;
  /** Number of events in the body. */
  events: number;
  /** Their webhookEventIds. */
  ids: string[];
  /** Filled in by the load driver: the HTTP status of the response (0 = none). */
  status: number;
};

export type LineEvent = Record<string, unknown> & { type: string; webhookEventId: string; deliveryContext: { isRedelivery: boolean } };

export type Ledger = {
  eventIds: string[];
  counts: { message: number; postback: number; follow: number };
  /** Follows from users who were not friends yet: each creates a member. */
  newFriends: number;
  /** Distinct `${userId} ${tagId}` pairs from postbacks naming a tag or tapping the campaign's button. */
  tagPairs: Set<string>;
  /** Postbacks that tapped the campaign's button. */
  campaignClicks: number;
};

export type ReplyToken = { token: string; userId: string };

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same traffic. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    hex: (length: number) => {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
}

const TEXTS = [
  '請問有停車位嗎？',
  '可以提早入住嗎？我們大概中午十二點到。',
  '早餐幾點開始？',
  '你好，我想預約下週六的雙人房，請問還有空房嗎？',
  '謝謝！',
  '請問房間有浴缸嗎',
  '可以帶寵物嗎？',
  '我的訂單編號是 TPE-20261122-0042，想改成兩晚',
  '好的',
  '請問從台北車站過去怎麼走最方便？有接駁車嗎？如果有的話大概幾點一班，需要先預約嗎？',
  'Is late check-out possible?',
  '會員點數可以折抵住宿嗎',
];
const POSTBACKS = ['action=room-info&room=deluxe-twin', 'action=booking&step=dates', 'action=faq&topic=parking', 'richmenu=member-card', 'action=coupon&id=WINTER26'];
const TAG_LABELS = ['家庭房方案', '溫泉假期', '商務住宿'];

export function createGenerator(options: {
  channelSecret: string;
  destination: string;
  /** Friends who already are members: they send messages and postbacks and sometimes follow again (unblock). */
  existingUsers: readonly string[];
  /** Friends-to-be: each follows once, which creates a member. */
  newUsers: readonly string[];
  tagIds: readonly string[];
  /** A campaign's postback button (`campaign=…&action=…`) and the tag it gives: a third of the postbacks tap it. */
  campaign?: { data: string; tagId: string };
  /**
   * 'hotel' (default): the everyday mix above. 'campaign': the burst after a push: 78 % postbacks (two in three the
   * campaign's button, one in six a tag, one in six other buttons), 20 % messages, 2 % follows.
   */
  mix?: 'hotel' | 'campaign';
  maxEventsPerRequest: number;
  seed: number;
  /** Prefix that makes this run's webhookEventIds unique (LINE's are 26-character ULIDs). */
  idPrefix: string;
}) {
  const random = createRandom(options.seed);
  const campaignMix = options.mix === 'campaign';
  const ledger: Ledger = { eventIds: [], counts: { message: 0, postback: 0, follow: 0 }, newFriends: 0, tagPairs: new Set(), campaignClicks: 0 };
  let sequence = 0;
  let nextNewUser = 0;
  let messageId = 580_000_000_000_000_000n;

  function base(type: string, userId: string, timestamp: number): LineEvent {
    sequence += 1;
    const webhookEventId = `${options.idPrefix}${sequence.toString(36).toUpperCase().padStart(26 - options.idPrefix.length, '0')}`;
    return {
      type,
      mode: 'active',
      timestamp,
      source: { type: 'user', userId },
      webhookEventId,
      deliveryContext: { isRedelivery: false },
      replyToken: random.hex(32),
    };
  }

  function record(event: LineEvent): LineEvent {
    ledger.eventIds.push(event.webhookEventId);
    ledger.counts[event.type as 'message' | 'postback' | 'follow'] += 1;
    return event;
  }

  function message(userId: string, timestamp: number): LineEvent {
    const event = base('message', userId, timestamp);
    messageId += 1n;
    const roll = random.next();
    if (roll < 0.8) event.message = { id: String(messageId), type: 'text', quoteToken: random.hex(43), text: random.pick(TEXTS) };
    else if (roll < 0.93) event.message = { id: String(messageId), type: 'sticker', quoteToken: random.hex(43), packageId: '446', stickerId: String(1988 + random.int(40)), stickerResourceType: 'STATIC', keywords: ['Happy', 'OK'] };
    else event.message = { id: String(messageId), type: 'image', quoteToken: random.hex(43), contentProvider: { type: 'line' } };
    return record(event);
  }

  function postback(userId: string, timestamp: number): LineEvent {
    const event = base('postback', userId, timestamp);
    let data: string;
    const r = random.next();
    // The hotel mix: a third each; the campaign mix: two in three the campaign's button, one in six each of the others.
    const kind = campaignMix ? (r < 2 / 3 ? 'campaign' : r < 5 / 6 ? 'tag' : 'other') : r < 1 / 3 ? 'tag' : r < 2 / 3 ? 'campaign' : 'other';
    if (options.tagIds.length > 0 && kind === 'tag') {
      const tagId = random.pick(options.tagIds);
      data = `tag=${tagId}&label=${random.pick(TAG_LABELS)}`;
      ledger.tagPairs.add(`${userId} ${tagId}`);
    } else if (options.campaign && kind === 'campaign') {
      data = options.campaign.data;
      ledger.tagPairs.add(`${userId} ${options.campaign.tagId}`);
      ledger.campaignClicks += 1;
    } else {
      data = random.pick(POSTBACKS);
    }
    event.postback = { data };
    return record(event);
  }

  /** A follow: from a new friend while there are any left (creates a member), otherwise an unblock. */
  function follow(userId: string, timestamp: number, isUnblocked: boolean): LineEvent {
    const event = base('follow', userId, timestamp);
    event.follow = { isUnblocked };
    return record(event);
  }

  function randomEvent(timestamp: number): LineEvent {
    const roll = random.next();
    const [messages, postbacks] = campaignMix ? [0.2, 0.98] : [0.6, 0.9];
    if (roll < messages) return message(random.pick(options.existingUsers), timestamp);
    if (roll < postbacks) return postback(random.pick(options.existingUsers), timestamp);
    if (random.next() < 0.8 && nextNewUser < options.newUsers.length) {
      ledger.newFriends += 1;
      return follow(options.newUsers[nextNewUser++]!, timestamp, false);
    }
    return follow(random.pick(options.existingUsers), timestamp, true);
  }

  function sign(events: LineEvent[]): PlannedRequest {
    const body = Buffer.from(JSON.stringify({ destination: options.destination, events }));
    return { body, signature: signBody(options.channelSecret, body), events: events.length, ids: events.map((e) => e.webhookEventId), status: 0 };
  }

  /** Reply tokens of follow events: the simulator must know them for the welcome message to be accepted. */
  function followTokens(events: LineEvent[]): ReplyToken[] {
    return events.filter((e) => e.type === 'follow').map((e) => ({ token: e.replyToken as string, userId: (e.source as { userId: string }).userId }));
  }

  return {
    ledger,
    sign,
    /** `count` requests of 1–max random events. Keeps the events when asked (for the redelivery check). */
    requests(count: number, keep?: LineEvent[]): { requests: PlannedRequest[]; replyTokens: ReplyToken[] } {
      const requests: PlannedRequest[] = [];
      const replyTokens: ReplyToken[] = [];
      const now = Date.now();
      for (let i = 0; i < count; i += 1) {
        const size = 1 + random.int(options.maxEventsPerRequest);
        const events: LineEvent[] = [];
        for (let j = 0; j < size; j += 1) events.push(randomEvent(now - random.int(2000)));
        requests.push(sign(events));
        replyTokens.push(...followTokens(events));
        keep?.push(...events);
      }
      return { requests, replyTokens };
    },
    /** Every existing user follows once (in requests of `perRequest`): they become members before the load. */
    firstFollows(perRequest: number): { requests: PlannedRequest[]; replyTokens: ReplyToken[] } {
      const requests: PlannedRequest[] = [];
      const replyTokens: ReplyToken[] = [];
      const now = Date.now();
      for (let i = 0; i < options.existingUsers.length; i += perRequest) {
        const events = options.existingUsers.slice(i, i + perRequest).map((userId) => follow(userId, now, false));
        requests.push(sign(events));
        replyTokens.push(...followTokens(events));
      }
      ledger.newFriends += options.existingUsers.length;
      return { requests, replyTokens };
    },
  };
}

export type Generator = ReturnType<typeof createGenerator>;
