import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import { campaignPushesInWeek } from './campaign-sending.repository.ts';
import type { CampaignFailureCause } from '@innkeeper/contracts/api';
import { campaignBatches, campaigns, type BatchStatus } from './campaigns.tables.ts';

export type BatchRow = typeof campaignBatches.$inferSelect;

/**
 * Claims this tenant's due scheduled campaigns: one compare-and-set UPDATE to 'sending', so of two workers at once
 * exactly one claims each campaign (`for update skip locked` lets the other pass over it instead of waiting).
 */
export async function claimDueCampaigns(tx: Tx, tenantId: TenantId, now: Date): Promise<Array<typeof campaigns.$inferSelect>> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update campaigns set status = 'sending', status_reason = '', status_params = '{}'::jsonb, updated_at = ${now}
         where tenant_id = ${tenantId} and id in (
           select id from campaigns where tenant_id = ${tenantId} and status = 'scheduled' and scheduled_at <= ${now} order by scheduled_at for update skip locked)
           and status = 'scheduled'
         returning id`,
  );
  if (rows.length === 0) return [];
  return tx.select().from(campaigns).where(and(eq(campaigns.tenantId, tenantId), inArray(campaigns.id, rows.map((r) => r.id))));
}

/** One chunk of an audience written by materialiseRecipients: its batches and the recipients it wrote. */
export type AudienceChunk = { batchNos: number[]; written: number };

/**
 * Where the next chunk's range of members ends: the `size`-th of the tenant's member ids after `after` (null: from
 * the first), or null when fewer remain (the range runs to the end: the last chunk). An index-only walk of the
 * members' primary key, deleted members included (they only make a range a little emptier).
 */
export async function findAudienceRangeEnd(tx: Tx, tenantId: TenantId, after: string | null, size: number): Promise<string | null> {
  const from = after === null ? sql`true` : sql`m.id > ${after}::uuid`;
  const [row] = await queryRows<{ id: string }>(tx, sql`select m.id::text as id from members m where m.tenant_id = ${tenantId} and ${from} order by m.id offset ${size - 1}::int limit 1`);
  return row?.id ?? null;
}

/** A reachable guest's holdout key: the same for the same campaign and guest on every run (decided reproducibly). */
const holdoutKeyOf = (campaignId: string, memberId: SQL) => sql`md5(${campaignId}::text || ${memberId}::text) collate "C"`;

/**
 * The campaign's holdout, drawn once for its whole audience as it stands now (not per chunk): of the reachable guests,
 * floor(n × percent / 100), the estimate's count, are held out, those with the smallest keys (holdoutKeyOf). Returns
 * the largest key held out (every chunk holds out the reachable guests whose key is at most it), or null: nobody.
 */
export async function drawHoldout(tx: Tx, campaignId: string, audience: SQL, percent: number): Promise<string | null> {
  if (percent <= 0) return null;
  await tx.execute(sql`select set_config('work_mem', '128MB', true)`);
  const [row] = await queryRows<{ key: string | null }>(
    tx,
    sql`with reachable as materialized (select distinct a.member_id from (${audience}) a where a.skip is null),
             held as (select ${holdoutKeyOf(campaignId, sql`r.member_id`)} as k from reachable r order by 1 limit (select floor(count(*) * ${percent}::int / 100.0)::int from reachable))
        select (select max(k) from held) as key`,
  );
  return row?.key ?? null;
}

/**
 * Writes one chunk of the campaign's recipients from the audience (member_id, line_user_id, skip) and cuts the queued
 * ones into batches, in one statement: the audience's members in the range (`chunk.after`, `chunk.upto`] (null: from
 * the first, to the last), so the audience is evaluated for that range alone (an index range of the members, with
 * whatever the segment joins), never again in whole; unreachable members skipped with their reason; of the
 * reachable, those whose holdout key is at most `holdoutKey` (drawHoldout: once per campaign) held out; of the rest,
 * those who already received `weeklyCap` marketing pushes in the last seven days (or have them in flight) skipped as
 * capped. The caller holds the tenant's weekly-cap lock (lockWeeklyCapForCampaign) until it commits, so the cap is
 * decided chunk by chunk against every push committed before. The queued are numbered by member into batches of
 * `batch.size` from `chunk.firstBatchNo` (a batch is a fixed set), each batch with its own retry key generated and
 * stored here, before any attempt (a push recipient gets a key of its own too). Set-based: nothing of the audience
 * passes through this process. Returns the chunk's batch numbers and how many recipients it wrote.
 */
export async function materialiseRecipients(
  tx: Tx,
  tenantId: TenantId,
  campaignId: string,
  audience: SQL,
  options: {
    holdoutKey: string | null;
    weeklyCap: number | null;
    now: Date;
    otherPushes?: readonly SQL[];
    batch: { size: number; mode: 'multicast' | 'push' };
    chunk: { after: string | null; upto: string | null; firstBatchNo: number };
  },
): Promise<AudienceChunk> {
  const { holdoutKey, weeklyCap, now, batch, chunk } = options;
  // The chunk is sorted by member (batches): in memory, not on disk (the default 4 MB spilled every sort of a large
  // chunk to temporary files). For this transaction only.
  await tx.execute(sql`select set_config('work_mem', '128MB', true)`);
  const held =
    holdoutKey !== null
      ? sql`select a.member_id from a where a.skip is null and ${holdoutKeyOf(campaignId, sql`a.member_id`)} <= ${holdoutKey}`
      : sql`select null::uuid as member_id where false`;
  // The range's bounds go into the audience's own scan of the members (a plain subquery: its id is m.id).
  const range = sql.join(
    [chunk.after === null ? sql`true` : sql`aud.member_id > ${chunk.after}::uuid`, chunk.upto === null ? sql`true` : sql`aud.member_id <= ${chunk.upto}::uuid`],
    sql` and `,
  );
  // Read once when the holdout or the cap look at it too; otherwise left inline, so the members' index order serves
  // the sort below (no sort of the chunk at all).
  const shared = holdoutKey !== null || weeklyCap !== null;
  const capped = weeklyCap !== null ? cappedMembers(tenantId, weeklyCap, now, options.otherPushes ?? [], sql`select a.member_id from a`, { after: chunk.after, upto: chunk.upto }) : sql`select null::uuid as member_id where false`;
  const [row] = await queryRows<{ batch_nos: number[] | null; written: number }>(
    tx,
    sql`
    -- Only the columns a recipient needs (not the push's placeholders).
    with a as ${shared ? sql`materialized` : sql`not materialized`} (
      select aud.member_id, aud.line_user_id, aud.skip from (${audience}) aud where ${range}),
    held as (${held}),
    capped as (${capped}),
    -- A member reachable twice through the audience's joins is one recipient.
    decided as (
      select distinct on (a.member_id) a.member_id, a.line_user_id,
             a.skip is null and h.member_id is null and c.member_id is null as queued,
             coalesce(a.skip, case when h.member_id is not null then 'holdout' when c.member_id is not null then 'capped' end, '') as reason
        from a left join held h on h.member_id = a.member_id left join capped c on c.member_id = a.member_id
       order by a.member_id),
    -- The queued counted in member order: one sort (the one above) serves both.
    numbered as (
      select d.*, case when d.queued then ((count(*) filter (where d.queued) over (order by d.member_id) - 1) / ${batch.size}::int + ${chunk.firstBatchNo}::int)::int end as batch_no
        from decided d),
    -- Each batch with its members' range (a batch's recipients are read between the two, migration 0055; uuid has no
    -- min(), its text in "C" order is the same order).
    batches as (
      insert into campaign_batches (tenant_id, campaign_id, batch_no, mode, retry_key, recipients, first_member_id, last_member_id)
      select ${tenantId}, ${campaignId}, n.batch_no, ${batch.mode}, gen_random_uuid(), count(*)::int,
             min(n.member_id::text collate "C")::uuid, max(n.member_id::text collate "C")::uuid
        from numbered n where n.batch_no is not null group by n.batch_no
      returning batch_no),
    recipients as (
      insert into campaign_recipients (tenant_id, campaign_id, member_id, line_user_id, status, reason, batch_no, retry_key, updated_at)
      select ${tenantId}, ${campaignId}, n.member_id, n.line_user_id, case when n.queued then 'queued' else 'skipped' end, case when n.queued then '' else n.reason end,
             n.batch_no, case when n.queued and ${batch.mode} = 'push' then gen_random_uuid() end, ${now}
        from numbered n
      returning 1)
    select (select array_agg(batch_no order by batch_no) from batches) as batch_nos, (select count(*)::int from recipients) as written`,
  );
  return { batchNos: row?.batch_nos ?? [], written: row?.written ?? 0 };
}

/** The last batch number a campaign used (the next chunk numbers on from it). */
export async function findLastBatchNo(tx: Tx, tenantId: TenantId, campaignId: string): Promise<number> {
  const [row] = await queryRows<{ last: number }>(tx, sql`select coalesce(max(batch_no), 0)::int as last from campaign_batches where tenant_id = ${tenantId} and campaign_id = ${campaignId}`);
  return row?.last ?? 0;
}

/**
 * The campaign row locked for one chunk of its audience: chunks of one campaign take turns (a re-run after a crash
 * and the run it replaced never write the same range), and a cancel or pause waits for the chunk under way, so a
 * chunk never writes queued batches after a cancel committed. Settling does not wait: finishing a campaign looks only
 * at campaigns no longer pending. With where the writing stands (the last member whose range is written). Undefined
 * for a campaign that is gone.
 *
 * Where it stands is the cursor, or the largest member written when that is further: a campaign started by the release
 * before 0047 has chunks written in member order and no cursor, and from null the next chunk wrote its first range
 * again (the recipients' key refused it, so the job failed on every retry and the rest of the audience never went
 * out). Under this release no recipient is past the cursor, so the largest written never moves it. One probe of the
 * recipients' primary key, backwards.
 */
export async function lockAudienceWriting(tx: Tx, tenantId: TenantId, campaignId: string): Promise<{ status: string; audiencePending: boolean; cursor: string | null } | undefined> {
  const [row] = await queryRows<{ status: string; audience_pending: boolean; audience_cursor: string | null }>(
    tx,
    sql`select status, audience_pending,
               greatest(audience_cursor, (select r.member_id from campaign_recipients r where r.tenant_id = ${tenantId} and r.campaign_id = ${campaignId} order by r.member_id desc limit 1))::text as audience_cursor
          from campaigns where tenant_id = ${tenantId} and id = ${campaignId} for no key update`,
  );
  return row ? { status: row.status, audiencePending: row.audience_pending, cursor: row.audience_cursor } : undefined;
}

/** A chunk is written: the writing goes on after `cursor`, or (pending false) the audience is written to its end. */
export async function advanceAudience(tx: Tx, tenantId: TenantId, campaignId: string, to: { cursor: string | null; pending: boolean }): Promise<void> {
  await tx.execute(sql`update campaigns set audience_cursor = ${to.cursor}::uuid, audience_pending = ${to.pending} where tenant_id = ${tenantId} and id = ${campaignId}`);
}

/** The holdout drawn for the campaign (drawHoldout), kept with it for every chunk and any re-run. */
export async function setHoldoutKey(tx: Tx, tenantId: TenantId, campaignId: string, key: string | null): Promise<void> {
  await tx.execute(sql`update campaigns set holdout_key = ${key} where tenant_id = ${tenantId} and id = ${campaignId}`);
}

/** The campaign's audience is written to its end (or no more of it will be): the campaign may finish. */
export async function setAudiencePending(tx: Tx, tenantId: TenantId, campaignId: string, pending: boolean): Promise<void> {
  await tx.execute(sql`update campaigns set audience_pending = ${pending} where tenant_id = ${tenantId} and id = ${campaignId}`);
}

/**
 * The campaign's audience could no longer be worked out while its later chunks were being written (its saved segment
 * deleted): no more of it is written, and the campaign keeps the code (audience_cut_short, 0050) to its end, so the
 * hotel sees why it reached fewer guests than the estimate said. A sending campaign shows it as its reason at once; a
 * paused one keeps its pause's reason until it is resumed (campaigns.repository resumeReason), and finishIfSettled gives it unless
 * recipients failed.
 */
export async function cutAudienceShort(tx: Tx, tenantId: TenantId, campaignId: string, code: string): Promise<void> {
  await tx.execute(
    sql`update campaigns set audience_pending = false, audience_cut_short = ${code},
               status_reason = case when status = 'sending' and status_reason = '' then 'audience_unavailable' else status_reason end,
               status_params = case when status = 'sending' and status_reason = '' then jsonb_build_object('code', ${code}::text) else status_params end
         where tenant_id = ${tenantId} and id = ${campaignId}`,
  );
}

/** Sending or paused campaigns whose audience is still being written (the sweep checks that a job still writes it). */
export async function findCampaignsWritingAudience(tx: Tx, tenantId: TenantId): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(tx, sql`select id from campaigns where tenant_id = ${tenantId} and audience_pending and status in ('sending', 'paused')`);
  return rows.map((r) => r.id);
}

/** Every marketing push of the seven days before `now` (campaigns' and the other senders'), one member_id row each. */
function pushesInWeek(tenantId: TenantId, now: Date, otherPushes: readonly SQL[], range?: { after: string | null; upto: string | null }): SQL {
  const since = new Date(now.getTime() - 7 * 24 * 3600_000);
  const others = otherPushes.map((pushes) => sql` union all select o.member_id from (${pushes}) o`);
  return sql`select c.member_id from (${campaignPushesInWeek(tenantId, since, range)}) c${sql.join(others, sql``)}`;
}

/**
 * The members who already received `weeklyCap` marketing pushes in the seven days before `now` (campaigns' and the
 * other senders', one member_id row per push), as one `select member_id`; none without a cap.
 */
export function cappedMembers(tenantId: TenantId, weeklyCap: number | null, now: Date, otherPushes: readonly SQL[], among?: SQL, range?: { after: string | null; upto: string | null }): SQL {
  // Of a chunk's members only: a chunk does not count the whole tenant's week of pushes (a million queued recipients
  // of the campaign itself among them) again for each chunk.
  const of = among ? sql` and p.member_id in (${among})` : sql``;
  // Counted over the tenant's week of pushes (accepted, or queued in flight), then joined: no per-member subquery.
  return sql`
      select p.member_id from (${pushesInWeek(tenantId, now, otherPushes, range)}) p
       where ${weeklyCap}::int is not null${of}
       group by p.member_id having count(*) >= ${weeklyCap}::int`;
}

/**
 * Of the audience's reachable members, how many are at the weekly cap now (what the estimate says a send would skip).
 *
 * One grouping of the reachable audience and the week's pushes together (a member counts when among the first and
 * with `weeklyCap` rows of the second), not the capped members joined to the audience: the pushes' per-batch read is
 * estimated at a few rows a batch (its ranges are the batch's own), so the join was planned as a nested loop probing
 * the members' index once per capped guest (500,000 probes, over a second, for a hotel pushing a million a week), and
 * a count of distinct members sorted them all again. Grouped, no plan can probe per guest; the work is one pass over
 * the audience and the week's pushes (bench/README.md, 2026-12-07). JIT is off for it: the same misestimate put its
 * cost past JIT's threshold, and compiling took a third of a second for nothing. work_mem as the audience writer's:
 * the grouping of a million guests then stays in memory.
 */
export async function countCapped(tx: Tx, tenantId: TenantId, audience: SQL, weeklyCap: number, now: Date, otherPushes: readonly SQL[]): Promise<number> {
  const [saved] = await queryRows<{ jit: string; work_mem: string }>(
    tx,
    sql`select current_setting('jit') as jit, current_setting('work_mem') as work_mem, set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`,
  );
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from (
          select u.member_id from (
            select a.member_id, 0 as push from (${audience}) a where a.skip is null
            union all
            select p.member_id, 1 from (${pushesInWeek(tenantId, now, otherPushes)}) p) u
           group by u.member_id having min(u.push) = 0 and sum(u.push) >= ${weeklyCap}::int) c`,
  );
  // The request's transaction goes on (the estimate reads more after this): its own settings back. Not in a finally:
  // after a failed count the transaction is aborted, a restoring statement would fail and hide the count's error, and
  // settings made with set_config(…, true) end with the transaction anyway (attack review).
  await tx.execute(sql`select set_config('jit', ${saved!.jit}, true), set_config('work_mem', ${saved!.work_mem}, true)`);
  return row?.n ?? 0;
}

export async function findBatch(tx: Tx, tenantId: TenantId, campaignId: string, batchNo: number): Promise<BatchRow | undefined> {
  const [row] = await tx.select().from(campaignBatches).where(and(eq(campaignBatches.tenantId, tenantId), eq(campaignBatches.campaignId, campaignId), eq(campaignBatches.batchNo, batchNo)));
  return row;
}

export function findQueuedBatchNos(tx: Tx, tenantId: TenantId, campaignId: string): Promise<Array<{ batchNo: number }>> {
  return tx
    .select({ batchNo: campaignBatches.batchNo })
    .from(campaignBatches)
    .where(and(eq(campaignBatches.tenantId, tenantId), eq(campaignBatches.campaignId, campaignId), eq(campaignBatches.status, 'queued')))
    .orderBy(asc(campaignBatches.batchNo));
}

/** One member's placeholder values from the audience selection (undefined once the member is gone). */
export async function findPlaceholders(tx: Tx, audience: SQL): Promise<Record<string, string> | undefined> {
  const [row] = await queryRows<{ placeholders: Record<string, string> }>(tx, sql`select placeholders from (${audience}) a limit 1`);
  return row?.placeholders;
}

export async function noteAttempt(tx: Tx, tenantId: TenantId, campaignId: string, batchNo: number, message: string, now: Date): Promise<void> {
  await tx.execute(sql`update campaign_batches set attempts = attempts + 1, message = ${message}, touched_at = ${now} where tenant_id = ${tenantId} and campaign_id = ${campaignId} and batch_no = ${batchNo}`);
}

/** The batches' jobs were just queued: they show life now (the sweep for lost jobs leaves them alone for a while). */
export async function touchBatches(tx: Tx, tenantId: TenantId, campaignId: string, batchNos: readonly number[], now: Date): Promise<void> {
  if (batchNos.length === 0) return;
  await tx.execute(sql`update campaign_batches set touched_at = ${now} where tenant_id = ${tenantId} and campaign_id = ${campaignId} and batch_no = any(${`{${batchNos.join(',')}}`}::int[])`);
}

export type QuietBatch = { campaignId: string; batchNo: number; requeues: number };

/** Queued batches of sending campaigns that showed no life since `before`, quietest first. */
export async function findQuietBatches(tx: Tx, tenantId: TenantId, before: Date, limit: number): Promise<QuietBatch[]> {
  const rows = await queryRows<{ campaign_id: string; batch_no: number; requeues: number }>(
    tx,
    sql`select b.campaign_id, b.batch_no, b.requeues from campaign_batches b
          join campaigns c on c.tenant_id = b.tenant_id and c.id = b.campaign_id and c.status = 'sending'
         where b.tenant_id = ${tenantId} and b.status = 'queued' and b.touched_at < ${before}
         order by b.touched_at, b.campaign_id, b.batch_no limit ${limit}`,
  );
  return rows.map((r) => ({ campaignId: r.campaign_id, batchNo: r.batch_no, requeues: r.requeues }));
}

/**
 * Claims a lost batch for queueing again: compare-and-set on it being still queued, still quiet since `before` and its
 * campaign still sending, so of two sweeps (or a sweep and a resume that just queued it) one queues it.
 */
export async function claimLostBatch(tx: Tx, tenantId: TenantId, campaignId: string, batchNo: number, before: Date, now: Date): Promise<boolean> {
  const rows = await queryRows<{ batch_no: number }>(
    tx,
    sql`update campaign_batches b set requeues = b.requeues + 1, touched_at = ${now}
          from campaigns c
         where b.tenant_id = ${tenantId} and b.campaign_id = ${campaignId} and b.batch_no = ${batchNo} and b.status = 'queued' and b.touched_at < ${before}
           and c.tenant_id = b.tenant_id and c.id = b.campaign_id and c.status = 'sending'
        returning b.batch_no`,
  );
  return rows.length > 0;
}

/** Sending campaigns with nothing queued any more, unchanged since `before` (a safety net: settling finishes them). */
export async function findSendingWithNothingQueued(tx: Tx, tenantId: TenantId, before: Date): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`select c.id from campaigns c where c.tenant_id = ${tenantId} and c.status = 'sending' and c.updated_at < ${before} and not c.audience_pending
           and not exists (select 1 from campaign_batches b where b.tenant_id = c.tenant_id and b.campaign_id = c.id and b.status = 'queued')`,
  );
  return rows.map((r) => r.id);
}

/**
 * Settles a queued batch (compare-and-set on its status: a second worker that settled it first makes this a no-op), and
 * with it its recipients, whose outcome is their batch's (migration 0055): `accepted`, they were sent; `failed`, the
 * batch keeps the message (LINE's words, or Innkeeper's detail) and the cause as a code (line_refused unless said
 * otherwise), each recipient's reason.
 */
export async function settleBatch(
  tx: Tx,
  tenantId: TenantId,
  campaignId: string,
  batchNo: number,
  to: Extract<BatchStatus, 'accepted' | 'failed'>,
  detail: { message: string; lineRequestId: string | null; cause?: CampaignFailureCause },
  now: Date,
): Promise<boolean> {
  // A batch LINE accepted while the campaign was being cancelled was sent all the same: the record says so.
  const from = to === 'accepted' ? sql`status in ('queued', 'cancelled')` : sql`status = 'queued'`;
  const cause = to === 'failed' ? (detail.cause ?? 'line_refused') : null;
  const settled = await queryRows<{ batch_no: number }>(
    tx,
    sql`update campaign_batches set status = ${to}, cause = ${cause}, message = ${detail.message}, line_request_id = ${detail.lineRequestId}, attempts = attempts + 1, settled_at = ${now}
         where tenant_id = ${tenantId} and campaign_id = ${campaignId} and batch_no = ${batchNo} and ${from} returning batch_no`,
  );
  return settled.length > 0;
}

/**
 * Sending → over once no batch is queued any more (compare-and-set: only one worker's settling batch does it): 'sent'
 * if LINE accepted anyone, 'failed' if it accepted no one. When recipients failed, the reason is the code
 * recipients_failed with how many, the cause of the last failure and, when LINE said something, its words (that
 * recipient's batch message), so the hotel sees it on the campaign, in its own language, as well as in its progress.
 */
export async function finishIfSettled(tx: Tx, tenantId: TenantId, campaignId: string, now: Date): Promise<boolean> {
  // Most settled batches leave others queued: one index probe says so before anything counts the recipients.
  const [queued] = await queryRows<{ any: boolean }>(tx, sql`select exists (select 1 from campaign_batches where tenant_id = ${tenantId} and campaign_id = ${campaignId} and status = 'queued') as any`);
  if (queued?.any) return false;
  // The recipients are grouped by batch once, at the campaign's end: in memory, not on disk. For this transaction only.
  await tx.execute(sql`select set_config('work_mem', '64MB', true)`);
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`with g as (${outcomeGroups(tenantId, campaignId)}),
        outcome as (
          select coalesce(sum(n) filter (where status = 'accepted'), 0)::int as accepted,
                 coalesce(sum(n) filter (where status = 'failed'), 0)::int as failed
            from g),
        last_failure as (
          select g.reason as cause, g.message from g where g.status = 'failed' order by g.last_at desc, g.first_member collate "C" limit 1)
        update campaigns set
               status = case when o.failed > 0 and o.accepted = 0 then 'failed' else 'sent' end,
               -- An audience cut short while it was written (cutAudienceShort) keeps saying so, unless recipients failed.
               status_reason = case when o.failed > 0 then 'recipients_failed' when audience_cut_short is not null then 'audience_unavailable' else '' end,
               status_params = case when o.failed > 0 then jsonb_strip_nulls(jsonb_build_object(
                   'failed', o.failed, 'attempted', o.accepted + o.failed, 'cause', l.cause,
                   'lineMessage', case when l.cause in ('line_refused', 'gave_up') then left(nullif(l.message, ''), 500) end))
                 when audience_cut_short is not null then jsonb_build_object('code', audience_cut_short)
                 else '{}'::jsonb end,
               updated_at = ${now}
          from outcome o left join last_failure l on true
         where tenant_id = ${tenantId} and id = ${campaignId} and status = 'sending' and not audience_pending
           and not exists (select 1 from campaign_batches b where b.tenant_id = ${tenantId} and b.campaign_id = ${campaignId} and b.status = 'queued')
         returning id`,
  );
  return rows.length > 0;
}

/**
 * A cancelled campaign's unsent batches are settled as cancelled, and with them its unsent recipients skipped for that
 * reason (their outcome is their batch's, migration 0055): LINE was never asked to take them, so they are no failure
 * and the success rate leaves them out (migration 0030).
 */
export async function cancelQueued(tx: Tx, tenantId: TenantId, campaignId: string, now: Date): Promise<void> {
  await tx.execute(sql`update campaign_batches set status = 'cancelled', settled_at = ${now} where tenant_id = ${tenantId} and campaign_id = ${campaignId} and status = 'queued'`);
}

export type ProgressRow = { status: string; reason: string; n: number; n_since: number; first_accepted: Date | string | null; last_accepted: Date | string | null };

/**
 * Recipients per status and reason, with when the first and last were accepted (the sending rate) and, in `n_since`,
 * how many of them were accepted in batches settled since `since` (the last start or resume; null: none counted).
 */
export function countProgress(tx: Tx, tenantId: TenantId, campaignId: string, since: Date | null = null): Promise<ProgressRow[]> {
  return queryRows<ProgressRow>(
    tx,
    sql`select status, reason, sum(n)::int as n, coalesce(sum(n) filter (where first_accepted >= ${since}), 0)::int as n_since,
               min(first_accepted) as first_accepted, max(last_accepted) as last_accepted
          from (${outcomeGroups(tenantId, campaignId)}) g group by status, reason order by status, reason`,
  );
}

/**
 * A campaign's recipients grouped by batch and their row's own status and reason, each group with its outcome (the
 * rule of the view campaign_recipient_outcomes, migration 0055: a row still queued has its batch's): a million rows
 * become a few thousand groups before any batch is read, and each group's batch is one probe of its primary key.
 * Per group: status, reason, n, when the first and last were accepted, when the last was settled (`last_at`), its
 * batch's first member (text: the tie-break between failures settled at once) and message.
 */
function outcomeGroups(tenantId: TenantId, campaignId: string): SQL {
  return sql`
    select case when b.status is null or g.status <> 'queued' or b.status = 'queued' then g.status when b.status = 'cancelled' then 'skipped' else b.status end as status,
           case when b.status is null or g.status <> 'queued' or b.status = 'queued' then g.reason when b.status = 'cancelled' then 'cancelled' when b.status = 'failed' then coalesce(b.cause, 'line_refused') else '' end as reason,
           g.n,
           case when g.status <> 'queued' then g.first_accepted when b.status = 'accepted' then b.settled_at end as first_accepted,
           case when g.status <> 'queued' then g.last_accepted when b.status = 'accepted' then b.settled_at end as last_accepted,
           case when g.status <> 'queued' or b.status is null or b.status = 'queued' then g.last_at else coalesce(b.settled_at, g.last_at) end as last_at,
           b.first_member_id::text as first_member, b.message
      from (select r.batch_no, r.status, r.reason, count(*)::int as n, min(r.accepted_at) as first_accepted, max(r.accepted_at) as last_accepted,
                   max(r.updated_at) as last_at
              from campaign_recipients r where r.tenant_id = ${tenantId} and r.campaign_id = ${campaignId}
             group by r.batch_no, r.status, r.reason) g
      left join lateral (
        select b.status, b.cause, b.settled_at, b.message, b.first_member_id from campaign_batches b
         where b.tenant_id = ${tenantId} and b.campaign_id = ${campaignId} and b.batch_no = g.batch_no limit 1) b on true`;
}

/**
 * Per campaign of a list page: recipients LINE accepted and recipients that failed, summed over the batches (a
 * campaign to a million guests has 2,000 multicast batches, not a million rows to count). A cancelled batch was never
 * attempted and counts in neither.
 */
export async function countAttempted(tx: Tx, tenantId: TenantId, campaignIds: readonly string[]): Promise<Map<string, { accepted: number; failed: number; cancelled: number }>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await queryRows<{ campaign_id: string; accepted: number; failed: number; cancelled: number }>(
    tx,
    sql`select campaign_id, coalesce(sum(recipients) filter (where status = 'accepted'), 0)::int as accepted, coalesce(sum(recipients) filter (where status = 'failed'), 0)::int as failed,
               coalesce(sum(recipients) filter (where status = 'cancelled'), 0)::int as cancelled
          from campaign_batches where tenant_id = ${tenantId} and campaign_id = any(${`{${campaignIds.join(',')}}`}::uuid[]) group by campaign_id`,
  );
  return new Map(rows.map((r) => [r.campaign_id, { accepted: r.accepted, failed: r.failed, cancelled: r.cancelled }]));
}
