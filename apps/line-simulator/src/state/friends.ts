import type { SimContext } from '../context.ts';
import { SimError } from '../http/errors.ts';
import { personaFor } from './names.ts';
import { stableHex } from './random.ts';
import type { BotEntry } from './sent.ts';
import type { Channel, Friendship, FriendState, TimelineEntry, VirtualUser } from './types.ts';

export type AddFriendsInput = {
  count: number;
  /** Same seed, same users: ids and names are a pure function of provider, seed and index. */
  seed?: string;
  state?: FriendState;
  appType?: 'ios' | 'android' | 'pc';
  displayNames?: string[];
};

export const USER_ID_RE = /^U[0-9a-f]{32}$/;

export function addVirtualFriends(ctx: SimContext, channel: Channel, input: AddFriendsInput): { user: VirtualUser; friendship: Friendship }[] {
  const explicitSeed = input.seed !== undefined;
  const seed = input.seed ?? `${ctx.options.seed}:${channel.channelId}`;
  const start = explicitSeed ? 0 : channel.friends.size;
  const now = ctx.clock.now();
  const out: { user: VirtualUser; friendship: Friendship }[] = [];
  for (let i = 0; i < input.count; i++) {
    const key = `${channel.providerId}:${seed}:${start + i}`;
    const userId = `U${stableHex(key, 32)}`;
    let user = ctx.store.users.get(userId);
    if (!user) {
      const persona = personaFor(key);
      user = {
        ...persona,
        displayName: input.displayNames?.[i] ?? persona.displayName,
        appType: input.appType ?? persona.appType,
        userId,
        providerId: channel.providerId,
        pictureUrl: `${ctx.options.publicUrl}/_sim/avatars/${userId}.svg`,
        createdAt: now,
      };
      ctx.store.users.set(userId, user);
    }
    out.push({ user, friendship: ensureFriendship(ctx, channel, userId, input.state ?? 'friend') });
  }
  ctx.store.version++;
  return out;
}

function ensureFriendship(ctx: SimContext, channel: Channel, userId: string, state: FriendState): Friendship {
  const existing = channel.friends.get(userId);
  if (existing) return existing;
  const now = ctx.clock.now();
  const friendship: Friendship = {
    userId,
    ordinal: channel.friends.size,
    state,
    followedAt: state === 'friend' ? now : null,
    blockedAt: state === 'blocked' ? now : null,
    lastUserMessageAt: null,
    timeline: [],
    unread: 0,
    quickReplyUsedFor: null,
    richMenuId: null,
    messagesReceived: 0,
    deliveriesReceived: 0,
    sendMark: 0,
  };
  channel.friends.set(userId, friendship);
  return friendship;
}

export function requireFriend(channel: Channel, userId: string): Friendship {
  const f = channel.friends.get(userId);
  if (!f) throw new SimError(404, `no virtual friend ${userId} in channel ${channel.channelId}`);
  return f;
}

type UserOrSystem = Exclude<TimelineEntry, BotEntry>;
type NewEntry = UserOrSystem extends infer E ? (E extends UserOrSystem ? Omit<E, 'seq'> : never) : never;

export function appendTimeline(ctx: SimContext, friendship: Friendship, entry: NewEntry): TimelineEntry {
  const full = { ...entry, seq: ++ctx.store.timelineSeq } as TimelineEntry;
  push(ctx, friendship, full);
  ctx.store.version++;
  return full;
}

/** A message the bot sent, as a reference to its send (the send bumps the store's version once for all of them). */
export function appendBotEntry(ctx: SimContext, friendship: Friendship, entry: BotEntry): void {
  entry.seq = ++ctx.store.timelineSeq;
  push(ctx, friendship, entry);
}

function push(ctx: SimContext, friendship: Friendship, entry: TimelineEntry): void {
  // A chat's first entry makes an array of one (a push onto an empty array reserves room for 16: a campaign to a million
  // guests, each with one entry since the channel's last reset, kept ~40 MB of empty room, all of it copied by the GC).
  if (friendship.timeline.length === 0) friendship.timeline = [entry];
  else friendship.timeline.push(entry);
  const excess = friendship.timeline.length - ctx.options.timelineLimit;
  if (excess > 0) friendship.timeline.splice(0, excess);
}

/** Forget what a friend received (a reset of the channel's sends and counters that keeps the friends). */
export function clearReceived(friendship: Friendship): void {
  friendship.timeline = [];
  friendship.unread = 0;
  friendship.quickReplyUsedFor = null;
  friendship.messagesReceived = 0;
  friendship.deliveriesReceived = 0;
}

export function userView(user: VirtualUser, friendship: Friendship | undefined) {
  return {
    userId: user.userId,
    displayName: user.displayName,
    pictureUrl: user.pictureUrl,
    statusMessage: user.statusMessage,
    language: user.language,
    gender: user.gender,
    age: user.age,
    area: user.area,
    appType: user.appType,
    avatarColor: user.avatarColor,
    state: friendship?.state ?? 'none',
    followedAt: friendship?.followedAt ? new Date(friendship.followedAt).toISOString() : null,
    unread: friendship?.unread ?? 0,
    received: friendship?.timeline.filter((e) => e.kind === 'bot').length ?? 0,
  };
}
