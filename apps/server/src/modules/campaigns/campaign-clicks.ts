import crypto from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type RequestContext, type TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { asTenantId, newId, type TenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { Logger } from 'pino';
import type { ChannelsService, LineApi } from '../line/index.ts';
import { countCampaignButtonTaps, memberSelection, propertyScopeOf, recordInteraction, type MemberLineService } from '../members/index.ts';
import { mayGiveOnClick, type TagsService } from '../tags/index.ts';
import { perTenantCron } from '../tenants/index.ts';
import * as clicks from './campaign-clicks.repository.ts';
import { wasSentTo } from './campaign-recipients.repository.ts';
import { signLink, signRuleLink, trackedUrl, verifyTrackedLink, type RuleLinkRef, type TrackedRef } from './campaign-links.ts';
import { actionsOf } from './campaign-messages.ts';
import { assertMayRead } from './campaign-scope.ts';
import * as repo from './campaigns.repository.ts';

const ZTenant = z.strictObject({ tenantId: z.uuid() });
/** The wake-up of a tenant's click applier: 'short' keeps one queued per tenant while one may run (as LINE's inbox). */
export const APPLY_CLICKS_JOB: JobRef<{ tenantId: string }> = { name: 'campaigns.apply-clicks', schema: ZTenant };

/** Where a forged, unknown or withdrawn link lands: a page of Innkeeper's saying so, never a guessed target. */
export const INVALID_LINK_PATH = '/c/invalid';

/** How long a process trusts what it read (a button's target, a channel's login id, a refused ID token). */
const CACHE_MS = 60_000;
const CACHE_MAX = 20_000;
/** A verified ID token's subject, at most until the token expires (LINE's live an hour). */
const TOKEN_CACHE_MS = 3600_000;
/** Clicks written in one statement at most, and statements in flight at once (the rest wait and join the next one). */
const INTAKE_BATCH = 500;
const INTAKE_IN_FLIGHT = 2;
/**
 * How long an anonymous click may wait in memory before its sum is written (docs/decisions/0014): the most a process
 * that dies without closing can lose of them, and the batching that makes a burst of them a few sums per statement.
 */
const ANONYMOUS_FLUSH_MS = 100;
const APPLY_BATCH = 100;
const MAX_ATTEMPTS = 3;

export type Target = { uri: string; label: string } | null;
/** An anonymous click's sum for its tenant, button, way in and minute (see `anonymous` in createCampaignClicks). */
type Sum = clicks.ClickCount & {
  tenantId: TenantId;
  /** Statements that carried it and were refused (MAX_ATTEMPTS at most). */
  attempts: number;
  /** The minute as epoch milliseconds (its Date is made once per sum, not per click). */
  minuteMs: number;
  /** Which generation of the waiting sums it is in: a sum taken by a statement is not added to again. */
  generation: number;
};
/** A link whose signature held, as the redirect uses it on every click (see verifiedLink in createCampaignClicks). */
type KnownLink = {
  ref: TrackedRef;
  tenantId: TenantId;
  owner: { campaignId: string } | { campaignId: null; run: { runId: string; stepIndex: number } };
  /** The key of its button's target in the read-through cache. */
  targetKey: string;
  /** Its button's part of a sum's key (tenant, campaign or run and step, button). */
  sumKey: string;
  /** The sum its anonymous clicks are being added to, per way in, while it waits to be written. */
  sums: { link: Sum | undefined; liff: Sum | undefined };
};
/** A button's part of an anonymous sum's key: its tenant, campaign or rule run and step, and action. */
function buttonKey(button: { tenantId: TenantId; campaignId: string | null; run?: { runId: string; stepIndex: number } | undefined; actionId: string }): string {
  return `${button.tenantId}/${button.campaignId ?? ''}/${button.run?.runId ?? ''}/${button.run?.stepIndex ?? ''}/${button.actionId}`;
}
type Cached<T> = { value: T; expiresAt: number };

/**
 * What a process remembers of the database for the redirect: one read per key however many clicks ask at once, and
 * when an entry is older than CACHE_MS the clicks keep getting it while one read refreshes it in the background, so a
 * busy link never makes its clicks queue for the database together. An entry says when its read has come back
 * (`settled`, `result`), so a click on a known button takes the target without waiting a turn for the promise.
 */
type ReadEntry<T> = { value: Promise<T>; settled: boolean; result: T | undefined; freshUntil: number; refreshing: boolean };
function readThrough<T>(load: (key: string) => Promise<T>) {
  const entries = new Map<string, ReadEntry<T>>();
  return (key: string): ReadEntry<T> => {
    const now = Date.now();
    const entry = entries.get(key);
    if (entry && (entry.freshUntil > now || entry.refreshing)) return entry;
    if (entry) {
      entry.refreshing = true;
      load(key).then(
        (value) => entries.set(key, { value: Promise.resolve(value), settled: true, result: value, freshUntil: Date.now() + CACHE_MS, refreshing: false }),
        () => (entry.refreshing = false),
      );
      return entry;
    }
    if (entries.size >= CACHE_MAX) entries.clear();
    const read: ReadEntry<T> = { value: load(key), settled: false, result: undefined, freshUntil: now + CACHE_MS, refreshing: false };
    entries.set(key, read);
    read.value.then(
      (result) => {
        read.result = result;
        read.settled = true;
      },
      // A failed read is not remembered: the next click asks again.
      () => {
        if (entries.get(key) === read) entries.delete(key);
      },
    );
    return read;
  };
}

function cache<T>() {
  const entries = new Map<string, Cached<T>>();
  return {
    get(key: string): T | undefined {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.expiresAt > Date.now()) return hit.value;
      entries.delete(key);
      return undefined;
    },
    /** A lifetime of 0 or less forgets the key (its entry would only take room until read again). */
    set(key: string, value: T, ttlMs = CACHE_MS): void {
      if (ttlMs <= 0) {
        entries.delete(key);
        return;
      }
      if (entries.size >= CACHE_MAX) entries.clear();
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    },
  };
}

/**
 * The target as a Location header can carry it: a header is ASCII, and a button's URL may hold Chinese (the builder
 * keeps what staff typed), so it is percent-encoded as a browser would send it. One that does not parse goes nowhere
 * (the invalid-link page), as a withdrawn button.
 */
function asLocation(target: Target): Target {
  if (!target) return null;
  try {
    return { uri: new URL(target.uri).href, label: target.label };
  } catch {
    return null;
  }
}

/**
 * Who owns the buttons of automated sends (modules/automation): what a rule link points at, and what an identified
 * click on one does (its history entry, the button's tags, the run's own record). The redirect, the click inbox,
 * the ID token's check and the job are this module's, as for a campaign's links.
 */
export type AutomationLinks = {
  /** The button's target URL and label, or null when the run, its rule's version or the button is gone. */
  target(ctx: TenantContext, ref: RuleLinkRef): Promise<Target>;
  /** A click a LIFF ID token named, by a known member (whom the owner checks against the run's guest). */
  apply(ctx: TenantContext, ref: RuleLinkRef, click: { lineUserId: string; clickedAt: Date }, member: { id: string; lineDisplayName: string | null }): Promise<void>;
};

type Deps = {
  db: Database;
  clock: Clock;
  keyring: Keyring;
  queue: () => JobQueue;
  logger: Logger;
  publicUrl: string;
  lineApi: LineApi;
  channels: ChannelsService;
  memberLine: MemberLineService;
  tags: Pick<TagsService, 'requireTag' | 'addTagToSelection'>;
  /** The owner of automated sends' links (the automationLinks extension point), if any. */
  automationLinks?: () => AutomationLinks[];
};

export type ClickOutcome = { url: string; counted: boolean; identified: boolean };

export type ClickInput = {
  tenantId: string;
  link: string;
  /** The LIFF ID token the member portal's page read (absent outside LINE), and the channel whose LIFF app it was. */
  guest?: { channelId: string; idToken: string } | undefined;
  via: 'liff' | 'link';
  /** A link-preview fetcher or a HEAD request: sent on its way, not counted. */
  preview: boolean;
};

/**
 * Tracked URL buttons: the redirect and the click inbox. A click is resolved (signature, then the button's target,
 * both cached per process) and stored by a group commit — clicks arriving together share one statement. An identified
 * click (a guest named by a valid LIFF ID token) is a row of campaign_clicks, and its request is answered once it is
 * committed, so a click that will tag a guest is never only in this process's memory. An anonymous one (outside LINE,
 * or no valid ID token) tags nobody: it is added up per button and minute into campaign_click_counts, and its guest is
 * sent on at once while the sum is written within ANONYMOUS_FLUSH_MS (docs/decisions/0014: a process killed without
 * closing loses at most those moments' anonymous counts). When a guest was identified, a per-tenant wake-up job is
 * written after the commit (a sweep finds clicks whose wake-up was lost). The job applies the button's tags and records
 * the click on the member's timeline, so the guest's redirect never waits for the tagging and the tagging survives a
 * worker that is down. Tags are given once per guest (member_tags' key; provenance is not rewritten by a repeat
 * click); every click, repeats included, is counted and on the timeline.
 */
export function createCampaignClicks(deps: Deps) {
  const targets = readThrough(async (key): Promise<Target> => asLocation(await readTarget(key)));
  async function readTarget(key: string): Promise<Target> {
    const [tenant, campaignId, actionId, stepIndex] = key.split('/') as [string, string, string, string | undefined];
    const tenantId = asTenantId(tenant);
    if (stepIndex !== undefined) {
      const owner = deps.automationLinks?.()[0];
      if (!owner) return null;
      return deps.db.withTenant(tenantId, (tx) => owner.target(systemContext(tx, tenantId, 'campaigns'), { runId: campaignId, stepIndex: Number(stepIndex), actionId }));
    }
    return deps.db.withTenant(tenantId, async (tx): Promise<Target> => {
      const campaign = await repo.findCampaign(tx, tenantId, campaignId, 'all');
      const action = campaign ? actionsOf(campaign.messages).find(({ action: a }) => a.type === 'uri' && a.id === actionId)?.action : undefined;
      return action?.type === 'uri' ? { uri: action.uri, label: action.label } : null;
    });
  }
  const loginChannels = readThrough(async (key): Promise<string | null> => {
    const [tenant, channelId] = key.split('/') as [string, string];
    const tenantId = asTenantId(tenant);
    return deps.db.withTenant(tenantId, async (tx) => (await deps.channels.credentials(systemContext(tx, tenantId, 'liff'), channelId))?.loginChannelId ?? null);
  });
  // A campaign's link is the same for every recipient (one per button), so a burst of clicks checks a few links over
  // and over: a link whose signature held is remembered, and its HMAC is not computed again. One that did not hold is
  // not remembered, so forged links cannot fill the map (each still costs its HMAC, as before). The entry also keeps
  // its button's target key and the sums its anonymous clicks are being added to, so a click on a known link builds
  // no key and allocates nothing (bench/README.md, "Tracked links").
  // Found by the link alone, then its tenant compared: a link's signature covers its tenant, so no link verifies for
  // two tenants, and one asked for under another tenant's address (its entry's tenant differs) is checked in full and
  // refused like a forged one. One lookup per click, not one per tenant and one per link: each lookup hashes the
  // request's freshly cut parameter, and the tenant id's pattern need not run again for a tenant whose link held
  // (bench/README.md, "Tracked links", 2026-12-07 profile). A key joining the two would be a new string per click.
  const verifiedLinks = new Map<string, KnownLink>();
  /** The link as verified for this tenant, if its signature held (checked once per link and process). */
  function knownLink(tenantId: string, link: string): KnownLink | undefined {
    const known = verifiedLinks.get(link);
    if (known !== undefined && known.tenantId === tenantId) return known;
    if (!/^[0-9a-f-]{36}$/.test(tenantId)) return undefined;
    return verifiedLink(asTenantId(tenantId), link);
  }
  function verifiedLink(tenantId: TenantId, link: string): KnownLink | undefined {
    const ref = verifyTrackedLink(deps.keyring, tenantId, link);
    if (!ref) return undefined;
    if (verifiedLinks.size >= CACHE_MAX) verifiedLinks.clear();
    const targetKey = ref.kind === 'campaign' ? `${tenantId}/${ref.campaignId}/${ref.actionId}` : `${tenantId}/${ref.runId}/${ref.actionId}/${ref.stepIndex}`;
    const owner = ref.kind === 'campaign' ? { campaignId: ref.campaignId } : { campaignId: null, run: { runId: ref.runId, stepIndex: ref.stepIndex } };
    const sumKey = buttonKey({ tenantId, ...owner, actionId: ref.actionId });
    const entry: KnownLink = { ref, tenantId, owner, targetKey, sumKey, sums: { link: undefined, liff: undefined } };
    verifiedLinks.set(link, entry);
    return entry;
  }
  // A token's answer is cached as a promise, so a burst of clicks with one token checks it once.
  const verifiedTokens = cache<Promise<string | null>>();

  function safeUrl(): string {
    return `${deps.publicUrl}${INVALID_LINK_PATH}`;
  }

  /** The LINE user LINE vouches for, or null when the token is not valid for this channel's LINE Login channel. */
  function guestOf(tenantId: TenantId, guest: { channelId: string; idToken: string }): Promise<string | null> {
    const tokenKey = `${tenantId}/${guest.channelId}/${crypto.createHash('sha256').update(guest.idToken).digest('base64url')}`;
    const known = verifiedTokens.get(tokenKey);
    if (known !== undefined) return known;
    const answer = verify(tenantId, guest, tokenKey).catch((error: unknown) => {
      // Not LINE's answer (the channel could not be read): anonymous this time, asked again next time.
      verifiedTokens.set(tokenKey, Promise.resolve(null), 0);
      deps.logger.warn({ err: error }, 'campaign click: LIFF ID token not verified, counted anonymously');
      return null;
    });
    verifiedTokens.set(tokenKey, answer);
    return answer;
  }

  /**
   * Checked here against LINE's published keys (line/liff-id-tokens.ts), not with a call to LINE per token: a campaign's
   * burst of guests behind one carrier address is identified in full, and a flood of forged tokens costs LINE nothing
   * (so no address needs rationing, as it did when each new token was a call to LINE's verify endpoint).
   */
  async function verify(tenantId: TenantId, guest: { channelId: string; idToken: string }, tokenKey: string): Promise<string | null> {
    const loginChannelId = await loginChannels(`${tenantId}/${guest.channelId}`).value;
    if (!loginChannelId) return null;
    try {
      // Expiry on the wall clock, as LINE's endpoint judges it (the engine's clock is the schedules' and may be set apart).
      const verified = await deps.lineApi.verifyLiffIdToken(guest.idToken, loginChannelId, new Date());
      // Trusted until the token itself expires (LINE's ID tokens live an hour), as LINE would answer until then.
      verifiedTokens.set(tokenKey, Promise.resolve(verified.sub), Math.min(TOKEN_CACHE_MS, verified.exp * 1000 - Date.now()));
      return verified.sub;
    } catch (error) {
      if (error instanceof AppError && error.code === 'liff.invalid_token') {
        // Not kept: checking it again is a local signature check, and a flood of forged tokens would otherwise fill the
        // cache until it is cleared, taking real guests' verified tokens with it.
        verifiedTokens.set(tokenKey, Promise.resolve(null), 0);
        return null;
      }
      // LINE's keys could not be read: the click is still counted (anonymously) and the guest still gets where they were
      // going; the next click with this token is checked again.
      verifiedTokens.set(tokenKey, Promise.resolve(null), 0);
      deps.logger.warn({ err: error }, 'campaign click: LIFF ID token not verified, counted anonymously');
      return null;
    }
  }

  // The group commit. Identified clicks wait here until a statement takes them (their request waits for its commit);
  // anonymous ones are added up as they arrive (`anonymous`, below) and ride with the next statement. At most
  // INTAKE_IN_FLIGHT statements run at once.
  type Received = Omit<clicks.NewClick, 'id'>;
  type Waiting = { tenantId: TenantId; click: Received; done: (error?: unknown) => void };
  let waiting: Waiting[] = [];
  /**
   * Anonymous clicks not yet written, added up per tenant, button, way in and minute (docs/decisions/0014): their
   * request was answered at once, and they are written within ANONYMOUS_FLUSH_MS (or with an identified click's
   * statement, whichever comes first). The map holds a key per button clicked in the last moments, whatever the burst.
   */
  let anonymous = new Map<string, Sum>();
  /** Counted up each time a statement takes the waiting sums (takeSums): a link's remembered sum of an older one is stale. */
  let generation = 0;
  let anonymousDue = false;
  let flushTimer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let idle: Array<() => void> = [];

  function pump(): void {
    while (inFlight < INTAKE_IN_FLIGHT && (waiting.length > 0 || (anonymousDue && anonymous.size > 0))) {
      const taken = waiting.slice(0, INTAKE_BATCH);
      waiting = waiting.slice(taken.length);
      inFlight += 1;
      void writeClicks(taken, takeSums()).finally(() => {
        inFlight -= 1;
        pump();
        if (isIdle()) {
          const resolved = idle;
          idle = [];
          for (const resolve of resolved) resolve();
        }
      });
    }
  }

  function isIdle(): boolean {
    return inFlight === 0 && waiting.length === 0 && anonymous.size === 0;
  }

  /**
   * Every anonymous sum waiting, for the statement about to go: whatever made it go (their timer, an identified
   * click, a flush), the map is empty again and the next anonymous click starts a new timer.
   */
  function takeSums(): Sum[] {
    const sums = [...anonymous.values()];
    anonymous = new Map();
    generation += 1;
    anonymousDue = false;
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    return sums;
  }

  /** Anonymous sums are written now rather than when their timer fires. */
  function flushAnonymous(): void {
    anonymousDue = true;
    pump();
  }

  /**
   * Resolves once every click received so far is committed (or refused), anonymous sums included: for tests, which
   * read the clicks at once, and for a process that closes (the tracked redirect's onClose).
   */
  function settled(): Promise<void> {
    if (anonymous.size > 0) flushAnonymous();
    if (isIdle()) return Promise.resolve();
    return new Promise((resolve) => idle.push(resolve));
  }

  async function writeClicks(batch: Waiting[], sums: Sum[]): Promise<void> {
    const byTenant = new Map<TenantId, { waiting: Waiting[]; sums: Sum[] }>();
    const groupOf = (tenantId: TenantId) => {
      let group = byTenant.get(tenantId);
      if (!group) byTenant.set(tenantId, (group = { waiting: [], sums: [] }));
      return group;
    };
    for (const w of batch) groupOf(w.tenantId).waiting.push(w);
    for (const sum of sums) groupOf(sum.tenantId).sums.push(sum);
    await Promise.all(
      [...byTenant].map(async ([tenantId, group]) => {
        try {
          const pending = await clicks.receiveClicks(deps.db, tenantId, rowsOf(group.waiting), group.sums);
          for (const w of group.waiting) w.done();
          // After the commit, not awaited (JobQueue.enqueueSoon): the wake-up was three of the transaction's five
          // statements. One lost (the process died right after the commit) is made good by the sweep (jobs()).
          if (pending > 0) deps.queue().enqueueSoon(APPLY_CLICKS_JOB, { tenantId }, { singletonKey: tenantId });
        } catch (error) {
          for (const w of group.waiting) w.done(error);
          retrySums(group.sums, error);
        }
      }),
    );
  }

  /**
   * Sums the database refused go back for the next statement, up to MAX_ATTEMPTS writes; then they are given up and
   * said so in the log. Their guests were sent on long ago; nobody is tagged by them, so only the count is lost. A
   * refused sum stays apart from fresher clicks on its button and minute (the statement adds up equal keys), so its
   * attempts are not started over by them, nor theirs cut short by it.
   */
  function retrySums(sums: readonly Sum[], error: unknown): void {
    const lost = sums.filter((sum) => sum.attempts + 1 >= MAX_ATTEMPTS);
    for (const sum of sums) if (sum.attempts + 1 < MAX_ATTEMPTS) addAnonymous(buttonKey(sum), { ...sum, attempts: sum.attempts + 1 });
    if (lost.length > 0) deps.logger.error({ err: error, clicks: lost.reduce((n, sum) => n + sum.clicks, 0) }, 'anonymous campaign clicks not stored');
  }

  /** A batch's identified clicks as rows, each its own id: the applier tags the guest from it. */
  function rowsOf(group: readonly Waiting[]): clicks.NewClick[] {
    return group.map(({ click }) => ({ id: newId(), ...click }));
  }

  /**
   * An anonymous click (or a refused sum) added to its button's sum for the minute (nobody to tag: a count is all it
   * leaves, migration 0054), so a burst of anonymous clicks on a few buttons is a few sums, not a row each. `button`
   * is the button's part of the key (KnownLink.sumKey). Returns the sum it was added to.
   */
  function addAnonymous(button: string, sum: Sum): Sum {
    const key = `${button}/${sum.via}/${sum.minuteMs}/${sum.attempts}`;
    let known = anonymous.get(key);
    if (known) known.clicks += sum.clicks;
    else anonymous.set(key, (known = { ...sum, generation }));
    if (!flushTimer && !anonymousDue) {
      flushTimer = setTimeout(() => {
        flushTimer = undefined;
        anonymousDue = true;
        pump();
      }, ANONYMOUS_FLUSH_MS);
      // A process with nothing else to do may exit; its close flushes first (settled()).
      flushTimer.unref();
    }
    return known;
  }

  /** An identified click, answered once it is committed. */
  function store(tenantId: TenantId, click: Received): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      waiting.push({ tenantId, click, done: (error) => (error === undefined ? resolve() : reject(error as Error)) });
      // Started on the next turn of the event loop, so requests arriving together share the statement.
      if (waiting.length === 1) setImmediate(pump);
      else if (waiting.length >= INTAKE_BATCH) pump();
    });
  }

  /**
   * An anonymous click: added to its sum, written within ANONYMOUS_FLUSH_MS; the guest is not kept waiting for it. A
   * link remembers the sum its clicks go to while it waits, so a burst's clicks add one to it and nothing else.
   */
  function count(link: KnownLink, via: 'liff' | 'link', atMs: number): void {
    const minuteMs = atMs - (atMs % 60_000);
    const current = link.sums[via];
    if (current !== undefined && current.generation === generation && current.minuteMs === minuteMs) {
      current.clicks += 1;
      return;
    }
    link.sums[via] = addAnonymous(link.sumKey, { tenantId: link.tenantId, ...link.owner, actionId: link.ref.actionId, via, minute: new Date(minuteMs), minuteMs, clicks: 1, attempts: 0, generation });
  }

  /**
   * One click: where to send the guest. Counted unless it is a preview; a guest named by a valid ID token gets the
   * button's tags (by the job). Forged, foreign or withdrawn links go to the invalid-link page and count nothing.
   * Answered without a promise when nothing has to be waited for (see clickAtOnce): the redirect then sends its 302
   * in the same turn as the request, as a bare handler would.
   */
  function click(input: ClickInput): ClickOutcome | Promise<ClickOutcome> {
    const now = clickAtOnce(input);
    if (now !== undefined) return now;
    const link = knownLink(input.tenantId, input.link)!;
    const { tenantId } = link;
    const read = targets(link.targetKey);
    return (async () => {
      const target = read.settled ? (read.result ?? null) : await read.value;
      const lineUserId = target && !input.preview && input.guest && /^[0-9a-f-]{36}$/.test(input.guest.channelId) ? await guestOf(tenantId, input.guest) : null;
      return clickOn(link, target, input, lineUserId);
    })();
  }

  /**
   * The click answered at once, or `undefined` when something has to be waited for — a guest to identify, or the
   * first click on a button in this process, whose target is being read — and nothing was counted: `click` then
   * answers it. The HTTP server's direct redirect (campaign-clicks.routes.ts) takes only what this answers and leaves
   * the rest to the Fastify route.
   */
  function clickAtOnce(input: ClickInput): ClickOutcome | undefined {
    const link = knownLink(input.tenantId, input.link);
    if (!link) return { url: safeUrl(), counted: false, identified: false };
    if (input.guest) return undefined;
    const read = targets(link.targetKey);
    if (!read.settled) return undefined;
    return anonymousClick(link, read.result ?? null, input);
  }

  function anonymousClick(link: KnownLink, target: Target, input: ClickInput): ClickOutcome {
    if (!target) return { url: safeUrl(), counted: false, identified: false };
    if (input.preview) return { url: target.uri, counted: false, identified: false };
    count(link, input.via, deps.clock.nowMs());
    return { url: target.uri, counted: true, identified: false };
  }

  function clickOn(link: KnownLink, target: Target, input: ClickInput, lineUserId: string | null): ClickOutcome | Promise<ClickOutcome> {
    if (!target || input.preview || lineUserId === null) return anonymousClick(link, target, input);
    const { owner, ref } = link;
    return store(link.tenantId, { ...owner, actionId: ref.actionId, lineUserId, via: input.via, clickedAt: deps.clock.now() }).then(
      () => ({ url: target.uri, counted: true, identified: true }),
      (error: unknown) => {
        // The database refused the click: the guest still reaches the page; the click is lost and said so in the log.
        deps.logger.error({ err: error, ...owner, actionId: ref.actionId }, 'campaign click not stored');
        return { url: target.uri, counted: false, identified: true };
      },
    );
  }

  /** The button's tags that may be given: the campaign's tags that still exist and are activity tags. */
  async function tagsOf(ctx: TenantContext, campaign: { tagIds: string[] }, action: { tagIds: string[] }): Promise<string[]> {
    const given: string[] = [];
    for (const tagId of action.tagIds.filter((id) => campaign.tagIds.includes(id))) {
      try {
        // A tag made a basic member tag since the campaign was saved is not given by a tap either.
        if (mayGiveOnClick(await deps.tags.requireTag(ctx, tagId))) given.push(tagId);
      } catch {
        // Deleted since the campaign was sent: nothing to give.
      }
    }
    return given;
  }

  /** A URL button as the applier needs it: its campaign, the button, and the tags it may still give. */
  type Button = { campaign: Awaited<ReturnType<typeof repo.findCampaign>>; action: ReturnType<typeof actionsOf>[number]['action'] | undefined; tagIds: string[] };

  async function buttonOf(ctx: TenantContext, campaignId: string, actionId: string): Promise<Button> {
    const campaign = await repo.findCampaign(ctx.db, ctx.tenantId, campaignId, 'all');
    const action = campaign ? actionsOf(campaign.messages).find(({ action: a }) => a.type === 'uri' && a.id === actionId)?.action : undefined;
    return { campaign, action, tagIds: campaign && action ? await tagsOf(ctx, campaign, action) : [] };
  }

  async function applyOne(ctx: TenantContext, click: clicks.PendingClick, member: { id: string; lineDisplayName: string | null } | undefined, button: (ctx: TenantContext, campaignId: string, actionId: string) => Promise<Button>): Promise<void> {
    const now = deps.clock.now();
    if (!member) {
      await clicks.settleClick(ctx.db, ctx.tenantId, click.id, { status: 'no_member', memberId: null }, now);
      return;
    }
    if (click.run) {
      // A button of an automated send: its owner records the click, gives the tags and marks the run's step.
      const owner = deps.automationLinks?.()[0];
      if (owner) await owner.apply(ctx, { ...click.run, actionId: click.actionId }, { lineUserId: click.lineUserId, clickedAt: click.clickedAt }, member);
      await clicks.settleClick(ctx.db, ctx.tenantId, click.id, { status: 'applied', memberId: member.id }, now);
      return;
    }
    if (!click.campaignId) return;
    const { campaign, action, tagIds } = await button(ctx, click.campaignId, click.actionId);
    const label = action?.label ?? '';
    await recordInteraction(ctx, [member.id], {
      type: 'clicked',
      occurredAt: click.clickedAt,
      campaignId: click.campaignId,
      actionId: click.actionId,
      actor: { type: 'guest', ref: click.lineUserId, label: member.lineDisplayName ?? '' },
      details: { label, url: action?.type === 'uri' ? action.uri : null, via: 'liff', ...(campaign ? { source: campaign.name } : {}) },
    });
    // The link is one per multicast, so a forwarded message carries it too: anyone's click is counted and on their
    // timeline, but the button's tags go only to a guest the campaign (or a test send of it) was sent to, as for
    // automated sends.
    if (campaign && action && tagIds.length > 0 && (await wasSentTo(ctx.db, ctx.tenantId, click.campaignId, member.id))) {
      for (const tagId of tagIds) {
        await deps.tags.addTagToSelection(ctx, tagId, memberSelection(ctx, [member.id]), { source: 'campaign', sourceRef: `${click.campaignId}:${click.actionId}`, sourceLabel: campaign.name, sourceDetail: label });
      }
    }
    await clicks.settleClick(ctx.db, ctx.tenantId, click.id, { status: 'applied', memberId: member.id }, now);
  }

  /**
   * Applies up to `limit` pending clicks of the tenant in one transaction, each on its own savepoint (a click that
   * fails is retried by a later run, and given up after MAX_ATTEMPTS). The guests' LINE users are locked as the LINE
   * worker locks them, so a follow being recorded for the same guest is seen. Returns the clicks taken.
   */
  async function applyPending(tenantId: TenantId, limit = APPLY_BATCH): Promise<number> {
    const failures: Array<{ id: string; error: string }> = [];
    const taken = await deps.db.withTenant(tenantId, async (tx) => {
      const ctx = systemContext(tx, tenantId, 'campaigns', { requestId: APPLY_CLICKS_JOB.name });
      const pending = await clicks.claimPendingClicks(tx, tenantId, limit);
      if (pending.length === 0) return 0;
      const users = [...new Set(pending.map((c) => c.lineUserId))];
      await deps.memberLine.lockLineUsers(ctx, users);
      const members = await deps.memberLine.findByLineUserIds(ctx, users);
      // A campaign's clicks are mostly on a few buttons: each is read once for the batch, not once per click. A read
      // that failed (in a click's savepoint) is not remembered, so the next click of that button reads it again.
      const buttons = new Map<string, Promise<Button>>();
      const button = (bctx: TenantContext, campaignId: string, actionId: string) => {
        const key = `${campaignId}/${actionId}`;
        const known = buttons.get(key);
        if (known) return known;
        const read = buttonOf(bctx, campaignId, actionId);
        buttons.set(key, read);
        read.catch(() => buttons.delete(key));
        return read;
      };
      for (const c of pending) {
        try {
          await tx.transaction((savepoint) => applyOne(systemContext(savepoint as Tx, tenantId, 'campaigns', { requestId: APPLY_CLICKS_JOB.name }), c, members.get(c.lineUserId), button));
        } catch (error) {
          failures.push({ id: c.id, error: (error as Error).message });
          await clicks.noteClickFailure(tx, tenantId, c.id, (error as Error).message, MAX_ATTEMPTS, deps.clock.now());
        }
      }
      return pending.length;
    });
    for (const f of failures) deps.logger.warn({ tenantId, clickId: f.id, error: f.error }, 'campaign click not applied');
    return taken;
  }

  /** The job: every pending click of the tenant, a batch at a time. */
  async function drain(tenantId: TenantId): Promise<void> {
    while ((await applyPending(tenantId)) === APPLY_BATCH);
  }

  function jobs(): Array<JobDefinition<object>> {
    const apply: JobDefinition<{ tenantId: string }> = { ...APPLY_CLICKS_JOB, policy: 'short', localConcurrency: 2, retryLimit: 10, expireInSeconds: 120, handler: ({ tenantId }) => drain(asTenantId(tenantId)) };
    // Every minute, a tenant with identified clicks still pending gets a wake-up (dropped when one is queued): the
    // click intake writes its wake-up after the commit, so a process that died in between leaves nobody woken.
    const sweep = perTenantCron(deps, {
      name: 'campaigns.sweep-clicks',
      cron: '* * * * *',
      run: async (tx, tenantId) => {
        if (await clicks.hasPendingClicks(tx, tenantId)) await deps.queue().enqueue(tx, APPLY_CLICKS_JOB, { tenantId }, { singletonKey: tenantId });
      },
    });
    return [apply, ...sweep] as Array<JobDefinition<object>>;
  }

  /** A campaign's URL buttons as tracked links (used when it is sent, and in test sends). */
  async function linkBuilder(ctx: TenantContext, campaign: { id: string; propertyId: string | null }): Promise<(actionId: string) => string> {
    const all = await deps.channels.listChannels(ctx);
    const channel = all.find((c) => c.propertyId === campaign.propertyId) ?? (all.length === 1 ? all[0] : undefined);
    return (actionId) => trackedUrl({ publicUrl: deps.publicUrl, tenantId: ctx.tenantId, liffId: channel?.liffId, link: signLink(deps.keyring, ctx.tenantId, { campaignId: campaign.id, actionId }) });
  }

  /** The URL buttons of one guest's automated send as tracked links (the LIFF app of the channel it goes out on). */
  async function ruleLinkBuilder(ctx: TenantContext, owner: { propertyId: string | null }, run: { runId: string; stepIndex: number }): Promise<(actionId: string) => string> {
    const all = await deps.channels.listChannels(ctx);
    const channel = all.find((c) => c.propertyId === owner.propertyId) ?? (all.length === 1 ? all[0] : undefined);
    return (actionId) => trackedUrl({ publicUrl: deps.publicUrl, tenantId: ctx.tenantId, liffId: channel?.liffId, link: signRuleLink(deps.keyring, ctx.tenantId, { ...run, actionId }) });
  }

  /** An automation rule's clicks on its URL buttons, per send step (the rule's statistics). */
  function ruleClickCounts(ctx: TenantContext, ruleId: string): Promise<Array<{ step: number; clicks: number }>> {
    return clicks.countRuleClicks(ctx.db, ctx.tenantId, ruleId);
  }

  /**
   * Staff: a campaign's buttons in message order with their clicks: a URL button's from the tracked links (rows and
   * anonymous sums), a postback button's from the taps' history entries (each names its guest, and is counted once the
   * LINE worker has handled it, with its tags: nothing of a tap is pending here).
   */
  async function clickCounts(ctx: RequestContext, campaignId: string) {
    assertMayRead(ctx);
    const campaign = await repo.findCampaign(ctx.db, ctx.tenantId, campaignId, propertyScopeOf(ctx));
    if (!campaign) throw new AppError('campaign.not_found');
    const buttons = actionsOf(campaign.messages).flatMap(({ action }) => (action.id ? [{ ...action, id: action.id }] : []));
    const postbackIds = buttons.flatMap((b) => (b.type === 'postback' ? [b.id] : []));
    const counts = new Map((await clicks.countClicks(ctx.db, ctx.tenantId, campaignId)).map((r) => [r.action_id, r]));
    const taps = new Map((await countCampaignButtonTaps(ctx, campaignId, postbackIds)).map((r) => [r.actionId, r]));
    return {
      data: buttons.map((b) => {
        if (b.type === 'postback') {
          const tapped = taps.get(b.id);
          return { actionId: b.id, kind: 'postback' as const, label: b.label, url: null, tagIds: b.tagIds, clicks: tapped?.taps ?? 0, identified: tapped?.taps ?? 0, anonymous: 0, guests: tapped?.guests ?? 0, pending: 0 };
        }
        const c = counts.get(b.id);
        return { actionId: b.id, kind: 'uri' as const, label: b.label, url: b.uri, tagIds: b.tagIds, clicks: c?.clicks ?? 0, identified: c?.identified ?? 0, anonymous: c?.anonymous ?? 0, guests: c?.guests ?? 0, pending: c?.pending ?? 0 };
      }),
    };
  }

  return { click, clickAtOnce, settled, applyPending, drain, jobs, linkBuilder, ruleLinkBuilder, ruleClickCounts, clickCounts, safeUrl };
}

export type CampaignClicks = ReturnType<typeof createCampaignClicks>;
