import type { SimContext } from '../context.ts';
import { lineError } from '../http/errors.ts';
import { stableFloat } from '../state/random.ts';
import type { Channel, LineMessage, NarrowcastJob } from '../state/types.ts';
import { performSend, remainingQuota } from './send.ts';
import type { Demographic, Recipient } from './validation/requests.ts';

export const PROGRESS_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const TARGET_REACH_FOR_FILTERS = 100;
const MIN_FILTERED_RECIPIENTS = 50;
const MAX_RECIPIENT_OBJECTS = 10;

export type NarrowcastInput = {
  requestId: string;
  retryKey: string | null;
  messages: LineMessage[];
  recipient: { recipient: Recipient; objects: number } | null;
  demographic: Demographic | null;
  limit: { max?: number; upToRemainingQuota?: boolean; forbidPartialDelivery?: boolean } | undefined;
};

function friendsOf(channel: Channel): string[] {
  return [...channel.friends.values()].filter((f) => f.state === 'friend').map((f) => f.userId);
}

/** Synchronous checks that LINE answers with 400/403 before accepting the narrowcast. */
export function checkNarrowcast(ctx: SimContext, channel: Channel, input: NarrowcastInput): void {
  if (input.limit?.forbidPartialDelivery && !input.limit.upToRemainingQuota) {
    throw lineError(400, 'The option forbidPartialDelivery must be used with upToRemainingQuota.');
  }
  if (input.recipient) {
    if (input.recipient.objects > MAX_RECIPIENT_OBJECTS) throw lineError(400, `The number of audience and redelivery objects must be ${MAX_RECIPIENT_OBJECTS} or fewer`);
    walk(input.recipient.recipient, (r) => {
      if (r.type === 'audience') {
        const a = channel.audiences.get(r.audienceGroupId);
        if (!a || a.status !== 'READY') throw lineError(400, `Invalid audience group id: ${r.audienceGroupId}`);
      }
      if (r.type === 'redelivery') {
        const job = channel.narrowcasts.get(r.requestId);
        if (!job || job.phase !== 'succeeded' || ctx.clock.now() - job.acceptedAt >= PROGRESS_WINDOW_MS) throw lineError(400, `Invalid request id: ${r.requestId}`);
      }
    });
  }
  if (input.demographic && friendsOf(channel).length < TARGET_REACH_FOR_FILTERS) throw lineError(403, 'Your account does not have enough friends');
}

function walk(r: Recipient, visit: (r: Recipient) => void): void {
  visit(r);
  if (r.type !== 'operator') return;
  r.and?.forEach((x) => walk(x, visit));
  r.or?.forEach((x) => walk(x, visit));
  if (r.not) walk(r.not, visit);
}

function evalRecipient(channel: Channel, r: Recipient, all: Set<string>): Set<string> {
  switch (r.type) {
    case 'audience':
      return new Set(channel.audiences.get(r.audienceGroupId)?.userIds ?? []);
    case 'redelivery':
      return new Set(channel.sends.get(r.requestId)?.delivered ?? []);
    case 'operator': {
      if (r.not) {
        const excluded = evalRecipient(channel, r.not, all);
        return new Set([...all].filter((u) => !excluded.has(u)));
      }
      const parts = (r.and ?? r.or ?? []).map((x) => evalRecipient(channel, x, all));
      if (r.and) return parts.reduce((acc, s) => new Set([...acc].filter((u) => s.has(u))));
      return new Set(parts.flatMap((s) => [...s]));
    }
  }
}

const num = (v: string | undefined, prefix: string): number | null => (v && v.startsWith(prefix) ? Number(v.slice(prefix.length)) : null);

function matches(ctx: SimContext, channel: Channel, userId: string, d: Demographic): boolean {
  const user = ctx.store.users.get(userId);
  if (!user) return false;
  switch (d.type) {
    case 'gender':
      return d.oneOf.includes(user.gender);
    case 'appType':
      return d.oneOf.includes(user.appType);
    case 'area':
      return d.oneOf.includes(user.area);
    case 'age': {
      const age = num(user.age, 'age_') ?? 0;
      const gte = num(d.gte, 'age_');
      const lt = num(d.lt, 'age_');
      return (gte === null || age >= gte) && (lt === null || age < lt);
    }
    case 'subscriptionPeriod': {
      const f = channel.friends.get(userId);
      const days = f?.followedAt ? (ctx.clock.now() - f.followedAt) / 86_400_000 : 0;
      const gte = num(d.gte, 'day_');
      const lt = num(d.lt, 'day_');
      return (gte === null || days >= gte) && (lt === null || days < lt);
    }
    case 'operator':
      if (d.not) return !matches(ctx, channel, userId, d.not);
      if (d.and) return d.and.every((x) => matches(ctx, channel, userId, x));
      return (d.or ?? []).some((x) => matches(ctx, channel, userId, x));
  }
}

/**
 * LINE delivers narrowcasts asynchronously; the simulator runs the delivery at acceptance and records
 * the outcome the progress endpoint reports (succeeded, or failed with LINE's error codes).
 */
export function runNarrowcast(ctx: SimContext, channel: Channel, input: NarrowcastInput): NarrowcastJob {
  const now = ctx.clock.now();
  const job: NarrowcastJob = { requestId: input.requestId, acceptedAt: now, completedAt: null, phase: 'waiting', successCount: 0, failureCount: 0, targetCount: 0 };
  channel.narrowcasts.set(job.requestId, job);
  const fail = (errorCode: number | undefined, failedDescription: string) => {
    Object.assign(job, { phase: 'failed', completedAt: ctx.clock.now(), failedDescription }, errorCode === undefined ? {} : { errorCode });
    return job;
  };

  const all = new Set(friendsOf(channel));
  let targets = input.recipient ? [...evalRecipient(channel, input.recipient.recipient, all)].filter((u) => all.has(u)) : [...all];
  if (input.demographic) {
    const d = input.demographic;
    targets = targets.filter((u) => matches(ctx, channel, u, d));
    if (targets.length < MIN_FILTERED_RECIPIENTS) return fail(2, 'The number of recipients is too small');
  }
  if (input.limit?.max !== undefined && targets.length > input.limit.max) {
    targets = targets.sort((a, b) => stableFloat(`${job.requestId}:${a}`) - stableFloat(`${job.requestId}:${b}`)).slice(0, input.limit.max);
  }
  const remaining = remainingQuota(ctx, channel);
  if (targets.length > remaining) {
    if (!input.limit?.upToRemainingQuota) return fail(undefined, 'The monthly message limit would be exceeded');
    if (input.limit.forbidPartialDelivery) return fail(5, 'Cancelled because of forbidPartialDelivery');
    targets = targets.slice(0, remaining);
  }
  job.phase = 'sending';
  const record = performSend(ctx, channel, { endpoint: 'narrowcast', requestId: job.requestId, retryKey: input.retryKey, messages: input.messages, recipients: targets, countsQuota: true });
  Object.assign(job, { phase: 'succeeded', successCount: record.delivered.length, failureCount: 0, targetCount: targets.length, completedAt: ctx.clock.now() });
  return job;
}

export function progressView(job: NarrowcastJob) {
  return {
    phase: job.phase,
    ...(job.phase === 'waiting' ? {} : { successCount: job.successCount, failureCount: job.failureCount, targetCount: job.targetCount }),
    ...(job.failedDescription ? { failedDescription: job.failedDescription } : {}),
    ...(job.errorCode !== undefined ? { errorCode: job.errorCode } : {}),
    acceptedTime: new Date(job.acceptedAt).toISOString(),
    ...(job.completedAt !== null ? { completedTime: new Date(job.completedAt).toISOString() } : {}),
  };
}
