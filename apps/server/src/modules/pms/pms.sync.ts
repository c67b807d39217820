import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { systemContext, type TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import type { Database, Tx } from '../../core/db/database.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue, JobRef } from '../../core/jobs/queue.ts';
import { z } from 'zod';
import { createMembersBulk, identityHash, maskPersonalValue, parseDate, type BulkStayRow, type PmsFieldChange, type PmsFieldOutcome } from '../members/index.ts';
import { createDeanHttpConnector, PmsError, type PmsConnector, type PullPage } from './pms.connector.ts';
import { createFileIngest, taipeiLocal } from './pms.files.ts';
import { createGuestKeyDeriver } from './pms.generic.ts';
import { mapStayStatus, STATUS_DIALECTS, type DeanGuestRow, type DeanStayRow } from './pms.dean.ts';
import { parsePartySize } from './pms.party.ts';
import { createMatchPass, type StoredProfile } from './pms.match-pass.ts';
import { profileKeysOf } from './pms.matching.ts';
import { boundDeanRow, isPmsTime, normaliseBoundedDeanProfile, type NormalisedProfile } from './pms.normalise.ts';
import * as repo from './pms.repository.ts';
import type { PmsStream, RejectEntry, RunError, RunPhase, RunTrigger } from './pms.tables.ts';

/**
 * One sync run of one connection (docs/decisions/0010-pms-sync.md):
 *  1. walk the profiles feed, then the stays feed, page by page from the stored cursor; each page is applied (upserts
 *     that change nothing when the row is the version held, bad rows quarantined with a reason) and the cursor moved in
 *     the same transaction, so a crash resumes after the last page applied and never skips one;
 *  2. match every member with a usable key against the connection's profiles (pms.matching.ts): links, review cases;
 *  3. put the linked profiles' stays on their members (members module, source 'pms');
 *  4. finish the run with its figures; a PMS that cannot be reached fails the run (recorded, retried with backoff by the
 *     scheduler, an alert after three failures or at once for a rejected key).
 */

export const SYNC_JOB: JobRef<{ tenantId: string; runId: string }> = { name: 'pms.sync', schema: z.strictObject({ tenantId: z.uuid(), runId: z.uuid() }) };

/** What the field sync did in a run (report.fields): counts, and the first 200 conflicts for staff to look at. */
export type FieldReport = { optedOut: number; filled: number; takenFromPms: number; keptCrm: number; conflicts: PmsFieldOutcome[] };

export type SyncOptions = {
  pageSize?: number;
  /** HTTP behaviour of the connector (timeouts and backoff; tests shorten them). */
  http?: { timeoutMs?: number; attempts?: number; backoffMs?: number; maxBackoffMs?: number; maxRequestsPerSecond?: number };
  /** Called inside each page's transaction after its writes and before it commits: a test makes the worker "die" here. */
  onPageApplied?: (info: { stream: PmsStream; page: number; runId: string }) => void | Promise<void>;
  /** The connector for a connection (the default speaks HTTP; a test may wrap it). */
  connectorFor?: (connection: repo.ConnectionRow, apiKey: string) => PmsConnector;
  /** The file transport (pms.files.ts): rows per batch, the largest file read, a test's "die here" hook. */
  files?: { batchSize?: number; maxBytes?: number; onBatchApplied?: (info: { file: string; rowsDone: number; runId: string }) => void | Promise<void> };
  /**
   * How far the PMS's calendar is known to run ahead of Innkeeper's clock (default 0). Only the test harness sets it:
   * its simulated PMS lives on its own calendar, days ahead of the tests' fixed clock.
   */
  pmsClockAheadSeconds?: number;
};

/** Connections claimed per statement by the scheduler, and how long a claim holds one whose run was not started. */
const CLAIM_BATCH = 100;
const CLAIM_LEASE_MS = 5 * 60_000;
/** The nightly full walk starts with the first schedule after this hour, in the hotel group's time zone. */
export const NIGHTLY_FULL_HOUR = 3;

/** Rows created or updated by a run's walks from which the planner's statistics are refreshed before matching. */
const LARGE_LOAD = 5000;

/** The largest 德安 file read from a drop folder or taken as an upload. */
export const MAX_PMS_FILE_BYTES = 50 * 1024 * 1024;

/** `YYYY-MM-DD HH:mm:ss` local time moved by `seconds` (Taiwan has no daylight saving: plain arithmetic). */
export function shiftLocal(text: string, seconds: number): string {
  const t = Date.parse(`${text.replace(' ', 'T')}Z`) + seconds * 1000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * How far ahead of Innkeeper's clock an `UPD_DAT` may be (clock skew between the PMS and Innkeeper). A row stamped later
 * (a typo such as 2099-12-31, a PMS clock set wrong) is set aside as `upd_dat_in_future`: taken, it would outrank every
 * later real change of its profile ("an older version": unchanged) and, as the walk's watermark, move the cursor past
 * every change still to come.
 */
export const UPD_DAT_MAX_AHEAD_SECONDS = 24 * 3600;

/** The latest `UPD_DAT` taken now (Taipei local, the clock UPD_DAT is in). */
export function updDatBound(now: Date, skewSeconds = 0): string {
  return shiftLocal(taipeiLocal(now), skewSeconds + UPD_DAT_MAX_AHEAD_SECONDS);
}

function laterOf(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function hashRow(row: Record<string, unknown>): string {
  const sorted = Object.keys(row)
    .sort()
    .map((k) => [k, row[k] ?? null]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('base64url');
}

class Superseded extends Error {
  constructor() {
    super('Another worker moved this feed on; this attempt stops.');
  }
}

export type { MatchReport, StoredProfile } from './pms.match-pass.ts';

/** A row set aside, with its place in the rows handed over (a file turns it into the spreadsheet's row number). */
export type PreparedReject = RejectEntry & { at?: number };

const MEMBER_STAY_STATUS = { reserved: 'booked', in_house: 'in_house', checked_out: 'stayed', cancelled: 'cancelled', no_show: 'no_show' } as const;

export function createPmsSync(deps: { db: Database; clock: Clock; keyring: Keyring; queue: () => JobQueue; options?: SyncOptions; allowPrivateNetwork?: boolean; dropRoot?: string | undefined }) {
  const { db, clock, keyring } = deps;
  const options = deps.options ?? {};
  const pageSize = options.pageSize ?? 500;
  const bulk = createMembersBulk({ keyring, clock });
  const { matchConnection } = createMatchPass({ clock, bulk });
  const sleep = (ms: number) => (clock.sleep ? clock.sleep(ms) : new Promise<void>((r) => setTimeout(r, ms)));
  const ctxOf = (tx: Tx, tenantId: TenantId): TenantContext => systemContext(tx, tenantId, 'pms-sync');
  /** Now on the PMS's clock (Taipei local): no walk's watermark, nor a stored `since`, lies beyond it. */
  const pmsNow = () => shiftLocal(taipeiLocal(clock.now()), options.pmsClockAheadSeconds ?? 0);

  function connectorFor(connection: repo.ConnectionRow, http: SyncOptions['http'] = {}): PmsConnector {
    const apiKey = connection.apiKeyEncrypted ? keyring.decrypt(connection.apiKeyEncrypted) : '';
    if (options.connectorFor) return options.connectorFor(connection, apiKey);
    if (connection.kind !== 'dean_http') throw new PmsError('invalid_parameter', 'File-drop connections are not synced over HTTP.');
    return createDeanHttpConnector({
      baseUrl: connection.baseUrl,
      apiKey,
      hotelCod: connection.hotelCod,
      ...options.http,
      ...http,
      sleep,
      now: () => clock.now().getTime(),
      allowPrivateNetwork: deps.allowPrivateNetwork,
    });
  }

  /**
   * Starts a run unless one is under way (the unique index on running runs decides, so two starts at once make one)
   * and queues its job in the same transaction. Returns the run, or null when one was already running or the connection
   * is gone (deleted after the scheduler claimed it: held first, so a delete racing it never makes a foreign-key error).
   */
  async function startRun(ctx: TenantContext, connectionId: string, trigger: RunTrigger, requestedBy: string | null): Promise<repo.RunRow | null> {
    if (!(await repo.holdConnection(ctx.db, ctx.tenantId, connectionId))) return null;
    const now = clock.now();
    const cursors = await repo.findCursors(ctx.db, ctx.tenantId, connectionId);
    const run = await repo.insertRun(ctx.db, {
      tenantId: ctx.tenantId,
      id: newId(),
      connectionId,
      trigger,
      startedAt: now,
      requestedBy,
      cursorBefore: Object.fromEntries(cursors.map((c) => [c.stream, { since: c.since, resumeAfterPage: c.walkActive ? c.walkPages : null }])),
    });
    if (!run) return null;
    // The full mode (the nightly walk, decision 0010 "Scheduling"): both feeds are read from the start, as at the first
    // load; the walk and the matching are the same, and rows held already are no-ops. The cursors are forgotten only
    // once this run is the connection's run (the insert above decided), in its transaction.
    if (trigger === 'full') {
      await repo.resetCursors(ctx.db, ctx.tenantId, connectionId);
      await repo.updateConnection(ctx.db, ctx.tenantId, connectionId, { lastFullAt: now }, now);
    }
    await deps.queue().enqueue(ctx.db, SYNC_JOB, { tenantId: ctx.tenantId, runId: run.id });
    return run;
  }

  // ---- applying pages ----

  type Applied = { created: number; updated: number; unchanged: number; rejects: PreparedReject[] };

  // `at` is the row's place in what was handed over (a page, a file's batch): a file's rejects are told by row number.
  function prepareProfiles(rows: unknown[], bound: string): { writes: repo.ProfileWrite[]; rejects: PreparedReject[] } {
    const rejects: PreparedReject[] = [];
    const byKey = new Map<string, repo.ProfileWrite>();
    rows.forEach((raw, index) => {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        rejects.push({ stream: 'guests', key: `#${index + 1}`, reason: 'not_a_record', at: index });
        return;
      }
      const { row, issues } = boundDeanRow(raw as Record<string, unknown>);
      const key = typeof row['GCUST_COD'] === 'string' ? row['GCUST_COD'].trim() : '';
      if (key === '' || key.length > 40) {
        rejects.push({ stream: 'guests', key: key.slice(0, 40) || `#${index + 1}`, reason: key === '' ? 'missing_gcust_cod' : 'gcust_cod_too_long', at: index });
        return;
      }
      const upd = typeof row['UPD_DAT'] === 'string' ? row['UPD_DAT'].trim() : '';
      if (!isPmsTime(upd)) {
        rejects.push({ stream: 'guests', key, reason: 'bad_upd_dat', at: index });
        return;
      }
      if (upd > bound) {
        rejects.push({ stream: 'guests', key, reason: 'upd_dat_in_future', at: index });
        return;
      }
      let normalised: NormalisedProfile;
      try {
        normalised = normaliseBoundedDeanProfile(row as unknown as DeanGuestRow, issues);
      } catch {
        rejects.push({ stream: 'guests', key, reason: 'unreadable', at: index });
        return;
      }
      const stored: StoredProfile = {
        ...normalised,
        id: normalised.id ? { ...normalised.id, value: identityHash(keyring, normalised.id.value), masked: maskPersonalValue('identity', normalised.id.value) } : null,
      };
      const write: repo.ProfileWrite = {
        gcustCod: key,
        updDat: upd,
        rowHash: hashRow(row),
        profile: stored,
        deleted: normalised.deleted,
        mergedInto: normalised.mergedInto,
        // The keys the matching pass finds it by (the ID as its blind index, as members keep theirs).
        ...profileKeysOf(stored),
      };
      const seen = byKey.get(key);
      // The same profile twice in one page (it moved on during the walk): the later version counts.
      if (!seen || seen.updDat <= upd) byKey.set(key, write);
    });
    return { writes: [...byKey.values()], rejects };
  }

  function prepareStays(rows: unknown[], dialect: 'KTW' | 'BACCHUS', bound: string): { writes: repo.StayWrite[]; rejects: PreparedReject[] } {
    const rejects: PreparedReject[] = [];
    const byKey = new Map<string, repo.StayWrite>();
    rows.forEach((raw, index) => {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        rejects.push({ stream: 'stays', key: `#${index + 1}`, reason: 'not_a_record', at: index });
        return;
      }
      const { row } = boundDeanRow(raw as Record<string, unknown>);
      const text = (k: string) => (typeof row[k] === 'string' ? (row[k] as string).trim() : '');
      const parts = [text('IKEY'), text('IKEY_SEQ_NOS'), text('CI_SER')];
      const key = text('STAY_KEY') || (parts.every((p) => p !== '') ? parts.join('|') : '');
      if (key === '' || key.length > 100) {
        rejects.push({ stream: 'stays', key: key.slice(0, 100) || `#${index + 1}`, reason: 'missing_stay_key', at: index });
        return;
      }
      const guest = text('GCUST_COD');
      const reject = (reason: string) => void rejects.push({ stream: 'stays', key, reason, at: index });
      if (guest === '') return reject('missing_gcust_cod');
      const upd = text('UPD_DAT');
      if (!isPmsTime(upd)) return reject('bad_upd_dat');
      if (upd > bound) return reject('upd_dat_in_future');
      const checkIn = parseDate(text('CI_DAT'));
      const checkOut = parseDate(text('CO_DAT'));
      if (!checkIn.ok || !checkOut.ok) return reject('bad_dates');
      if (checkOut.value < checkIn.value) return reject('dates_reversed');
      const stayRow = row as unknown as DeanStayRow;
      // A count that is not one (negative, 1.5, 120) is set aside with its row, as a bad date is: guessing would put a
      // party on a guest's stay that the front desk never recorded.
      const party = parsePartySize(stayRow);
      if (!party.ok) return reject('bad_party_size');
      const write: repo.StayWrite = {
        stayKey: key,
        gcustCod: guest,
        hotelCod: text('HOTEL_COD') || null,
        updDat: upd,
        rowHash: hashRow(row),
        checkIn: checkIn.value,
        checkOut: checkOut.value,
        roomCod: text('ROOM_COD'),
        rawStatus: [text('ORDER_STA'), text('GUEST_STA')].filter(Boolean).join('/'),
        status: mapStayStatus(stayRow, STATUS_DIALECTS[dialect]),
        deleted: text('DEL_FLAG').toUpperCase() === 'Y',
        ...party.party,
      };
      const seen = byKey.get(key);
      if (!seen || seen.updDat <= upd) byKey.set(key, write);
    });
    return { writes: [...byKey.values()], rejects };
  }

  async function applyProfiles(ctx: TenantContext, connectionId: string, rows: unknown[]): Promise<Applied> {
    const bound = updDatBound(clock.now(), options.pmsClockAheadSeconds);
    const { writes, rejects } = prepareProfiles(rows, bound);
    const held = await repo.findProfileVersions(ctx.db, ctx.tenantId, connectionId, writes.map((w) => w.gcustCod));
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const changed = writes.filter((w) => {
      const before = held.get(w.gcustCod);
      if (!before) return ++counts.created > 0;
      // The same version read again (the cursor's overlap), or an older one: nothing to do. A version held with a time
      // beyond the bound (stored before rows like it were set aside) outranks nothing.
      if (before.rowHash === w.rowHash || (before.updDat > w.updDat && before.updDat <= bound)) return ++counts.unchanged < 0;
      return ++counts.updated > 0;
    });
    await repo.upsertProfiles(ctx.db, ctx.tenantId, connectionId, changed, clock.now(), bound);
    return { ...counts, rejects };
  }

  async function applyStays(ctx: TenantContext, connection: repo.ConnectionRow, rows: unknown[]): Promise<Applied> {
    const bound = updDatBound(clock.now(), options.pmsClockAheadSeconds);
    const { writes, rejects } = prepareStays(rows, connection.statusDialect, bound);
    const held = await repo.findStayVersions(ctx.db, ctx.tenantId, connection.id, writes.map((w) => w.stayKey));
    const counts = { created: 0, updated: 0, unchanged: 0 };
    const changed = writes.filter((w) => {
      const before = held.get(w.stayKey);
      if (!before) return ++counts.created > 0;
      if (before.rowHash === w.rowHash || (before.updDat > w.updDat && before.updDat <= bound)) return ++counts.unchanged < 0;
      return ++counts.updated > 0;
    });
    await repo.upsertStays(ctx.db, ctx.tenantId, connection.id, changed, clock.now(), bound);
    return { ...counts, rejects };
  }

  // Files (dropped or uploaded, contract §9) go through the same normaliser and upserts as the HTTP pages.
  const fileIngest = createFileIngest({
    db,
    clock,
    dropRoot: deps.dropRoot,
    maxBytes: options.files?.maxBytes ?? MAX_PMS_FILE_BYTES,
    batchSize: options.files?.batchSize ?? pageSize,
    applyProfiles,
    applyStays,
    guestKeyOf: (tenantId) => createGuestKeyDeriver((value, purpose) => keyring.blindIndex(value, purpose), tenantId),
    ...(options.files?.onBatchApplied ? { onBatchApplied: options.files.onBatchApplied } : {}),
  });

  // ---- walking a feed ----

  /**
   * Walks one feed from its cursor to the end. Each page: fetched (retries inside the connector), then in one
   * transaction the cursor is locked and compared with what this attempt last saw (another worker may have moved it:
   * this one stops), the rows applied, the run's counters and the cursor moved on. The walk's end stores
   * `watermark − overlap` as the next run's `since`.
   */
  async function walk(tenantId: TenantId, runId: string, connection: repo.ConnectionRow, connector: PmsConnector, stream: PmsStream): Promise<void> {
    // A first load fills empty tables: until they are analysed the planner takes them for empty and looks a page's keys
    // up by scanning the connection's rows. Statistics are refreshed each time the rows this walk added double.
    let createdSinceAnalyse = 0;
    let analysedRows = 0;
    let state = await db.withTenant(tenantId, async (tx) => {
      const cursor = await repo.lockCursor(tx, tenantId, connection.id, stream, clock.now());
      if (cursor.walkActive) return cursor;
      // A `since` ahead of now came from a far-future UPD_DAT taken before such rows were set aside: it would skip every
      // change still to come, so the walk starts from the beginning (rows read again change nothing).
      const since = cursor.since && cursor.since > pmsNow() ? null : cursor.since;
      const started = { ...cursor, walkActive: true, walkSince: since, walkCursor: null, walkWatermark: since, walkPages: 0, updatedAt: clock.now() };
      await repo.saveCursor(tx, started);
      return started;
    });
    const pull = (request: { since: string | null; cursor: string | null; limit: number }) => (stream === 'guests' ? connector.pullProfiles(request) : connector.pullStays(request));
    // The next page is fetched while this one is applied (the PMS and the database work at once). A page fetched ahead
    // is only used if this one commits; otherwise it is dropped (and read again by whoever resumes).
    let ahead: { cursor: string; page: Promise<PullPage<unknown>> } | null = null;
    for (;;) {
      let page: PullPage<unknown>;
      try {
        const request = { since: state.walkSince, cursor: state.walkCursor, limit: pageSize };
        const fetched: Promise<PullPage<unknown>> = ahead && ahead.cursor === state.walkCursor ? ahead.page : pull(request);
        ahead = null;
        page = await fetched;
      } catch (error) {
        if (error instanceof PmsError && error.code === 'cursor_expired' && state.walkCursor) {
          // The PMS no longer knows the cursor: walk again from the same `since` (rows re-read are no-ops).
          state = await db.withTenant(tenantId, async (tx) => {
            const cursor = await repo.lockCursor(tx, tenantId, connection.id, stream, clock.now());
            if (cursor.walkPages !== state.walkPages || cursor.walkCursor !== state.walkCursor) throw new Superseded();
            const restarted = { ...cursor, walkCursor: null, walkWatermark: cursor.walkSince, walkPages: 0, updatedAt: clock.now() };
            await repo.saveCursor(tx, restarted);
            return restarted;
          });
          continue;
        }
        throw error;
      }
      if (page.hasMore && page.nextCursor) {
        const next = pull({ since: state.walkSince, cursor: page.nextCursor, limit: pageSize });
        next.catch(() => undefined); // its failure, if any, is seen when it is awaited as the next page
        ahead = { cursor: page.nextCursor, page: next };
      }
      const seen = state;
      state = await db.withTenant(tenantId, async (tx) => {
        const ctx = ctxOf(tx, tenantId);
        const cursor = await repo.lockCursor(tx, tenantId, connection.id, stream, clock.now());
        if (!cursor.walkActive || cursor.walkPages !== seen.walkPages || cursor.walkCursor !== seen.walkCursor) throw new Superseded();
        await repo.commitWithoutFlush(tx);
        const applied = stream === 'guests' ? await applyProfiles(ctx, connection.id, page.rows) : await applyStays(ctx, connection, page.rows);
        // Never past Innkeeper's own clock: a watermark from a far-future row (set aside above) would move the next
        // run's `since` past every change to come; a PMS clock slightly ahead only makes the overlap larger.
        const nowLocal = pmsNow();
        const watermark = laterOf(cursor.walkWatermark, page.watermark && page.watermark > nowLocal ? nowLocal : page.watermark);
        const done = !page.hasMore;
        if (page.hasMore && !page.nextCursor) throw new PmsError('bad_response', 'hasMore without nextCursor');
        const next = done
          ? { ...cursor, since: watermark ? shiftLocal(watermark, -connection.overlapSeconds) : cursor.since, walkActive: false, walkSince: null, walkCursor: null, walkWatermark: null, walkPages: cursor.walkPages + 1, updatedAt: clock.now() }
          : { ...cursor, walkCursor: page.nextCursor, walkWatermark: watermark, walkPages: cursor.walkPages + 1, updatedAt: clock.now() };
        await repo.saveCursor(tx, next);
        await repo.addToRun(
          tx,
          tenantId,
          runId,
          { [stream === 'guests' ? 'pulledProfiles' : 'pulledStays']: page.rows.length, created: applied.created, updated: applied.updated, unchanged: applied.unchanged, rejected: applied.rejects.length },
          applied.rejects.map(({ at: _at, ...reject }) => reject),
        );
        await options.onPageApplied?.({ stream, page: next.walkPages, runId });
        createdSinceAnalyse += applied.created;
        return next;
      });
      if (!state.walkActive) return;
      if (createdSinceAnalyse >= Math.max(LARGE_LOAD, analysedRows)) {
        await repo.refreshPmsStatistics(db, stream);
        analysedRows += createdSinceAnalyse;
        createdSinceAnalyse = 0;
      }
    }
  }

  // ---- fields onto members ----

  /**
   * Puts what linked profiles newly say on their members (decision 0010 "Field sync"; the rules are the members
   * module's `applyPmsFields`): only a value that changed in the PMS since it was last put on this member is handed
   * over (every value at link time), so a re-read or an edit of another column acts on nothing. Outcomes other than a
   * plain fill are counted on the run's report, with the first 200 conflicts for staff.
   */
  async function applyFieldsToMembers(tenantId: TenantId, runId: string, connection: repo.ConnectionRow): Promise<void> {
    for (let after: string | null = null; ; ) {
      const rows: repo.ProfileForFields[] = await db.withTenant(tenantId, async (tx) => {
        const ctx = ctxOf(tx, tenantId);
        const batch = await repo.findProfilesForFields(tx, tenantId, connection.id, after, 500);
        const changes: PmsFieldChange[] = [];
        const applied = batch.map((row) => {
          const stored = row.profile as StoredProfile;
          const now = { optOut: stored.dmOptOut === true, email: stored.email ?? null, mobile: stored.mobiles?.find((m) => !m.ownerDoubt)?.e164 ?? null };
          // A new link (or a profile moved to another member) starts from nothing: every value is new to this member.
          const before = (row.fields_member_id === row.member_id ? (row.fields_applied as Partial<typeof now> | null) : null) ?? {};
          if (!row.deleted && !stored.mergedInto) {
            const change: PmsFieldChange = {
              memberId: row.member_id,
              connectionId: connection.id,
              gcustCod: row.gcust_cod,
              updDat: row.upd_dat,
              optOut: now.optOut && before.optOut !== true,
              email: now.email && now.email !== before.email ? now.email : null,
              mobile: now.mobile && now.mobile !== before.mobile ? now.mobile : null,
            };
            if (change.optOut || change.email || change.mobile) changes.push(change);
          }
          return { gcustCod: row.gcust_cod, memberId: row.member_id, rowHash: row.row_hash, values: now };
        });
        const outcomes = await bulk.applyPmsFields(ctx, changes, { runId, label: connection.name });
        await repo.markFieldsApplied(tx, tenantId, connection.id, applied);
        await addFieldOutcomes(tx, tenantId, runId, connection.id, outcomes);
        return batch;
      });
      if (rows.length < 500) return;
      after = rows.at(-1)!.gcust_cod;
    }
  }

  async function addFieldOutcomes(tx: Tx, tenantId: TenantId, runId: string, connectionId: string, outcomes: PmsFieldOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const run = await repo.findRun(tx, tenantId, runId);
    const report = (run?.report ?? {}) as Record<string, unknown>;
    const held = (report['fields'] ?? { optedOut: 0, filled: 0, takenFromPms: 0, keptCrm: 0, conflicts: [] }) as FieldReport;
    const recordedAt = clock.now();
    const conflicts: Array<Parameters<typeof repo.insertFieldConflicts>[1][number]> = [];
    for (const o of outcomes) {
      if (o.outcome === 'opted_out') held.optedOut++;
      else if (o.outcome === 'filled') held.filled++;
      else if (o.outcome === 'taken_from_pms') held.takenFromPms++;
      else held.keptCrm++;
      if (o.outcome !== 'taken_from_pms' && o.outcome !== 'kept_crm') continue;
      if (held.conflicts.length < 200) held.conflicts.push({ memberId: o.memberId, gcustCod: o.gcustCod, field: o.field, outcome: o.outcome });
      // Every conflict, with both sides masked, for the PMS page's conflicts list (migration 0040).
      if (o.conflict) {
        conflicts.push({ tenantId, id: newId(), connectionId, runId, memberId: o.memberId, gcustCod: o.gcustCod, field: o.field, kept: o.outcome === 'kept_crm' ? 'crm' : 'pms', ...o.conflict, recordedAt });
      }
    }
    await repo.insertFieldConflicts(tx, conflicts);
    await repo.updateRun(tx, tenantId, runId, { report: { ...report, fields: held } as never });
  }

  // ---- stays onto members ----

  /** Profiles read per batch of the step below (about three stays each in the simulator's data). */
  const PENDING_BATCH = 200;

  /**
   * Puts the stays of the profiles marked pending (migration 0043: a new link, a stay written for a linked profile) on
   * their members, a batch of profiles per transaction with the profiles locked: the stays that are missing or out of
   * date on the member are applied and the profiles unmarked in the same commit, so a crash leaves the rest marked
   * and a re-run finds nothing to do. A profile with a stay set aside stays marked and is tried again next run.
   */
  async function applyStaysToMembers(tenantId: TenantId, runId: string, connection: repo.ConnectionRow): Promise<void> {
    const label = connection.name;
    for (let after: string | null = null; ; ) {
      const profiles: Array<{ gcust_cod: string }> = await db.withTenant(tenantId, async (tx) => {
        const ctx = ctxOf(tx, tenantId);
        const pending = await repo.lockPendingProfiles(tx, tenantId, connection.id, after, PENDING_BATCH);
        const rows = await repo.findStaysToApply(
          tx,
          tenantId,
          connection.id,
          pending.filter((p) => p.member_id !== null).map((p) => p.gcust_cod),
        );
        const rejects: RejectEntry[] = [];
        const keepPending = new Set<string>();
        const placed: Array<{ row: repo.StayToApply; stay: BulkStayRow }> = [];
        for (const row of rows) {
          const propertyId = (row.hotel_cod ? connection.propertyMap[row.hotel_cod] : undefined) ?? connection.defaultPropertyId;
          if (!propertyId) {
            rejects.push({ stream: 'stays', key: row.stay_key, reason: 'hotel_unmapped' });
            keepPending.add(row.gcust_cod);
            continue;
          }
          if (row.status === 'unknown' && !row.deleted) {
            rejects.push({ stream: 'stays', key: row.stay_key, reason: 'unknown_status' });
            keepPending.add(row.gcust_cod);
            continue;
          }
          placed.push({
            row,
            stay: {
              memberId: row.member_id,
              propertyId,
              externalId: row.stay_key,
              checkIn: row.check_in,
              checkOut: row.check_out,
              roomType: row.room_cod,
              channel: 'pms',
              // A stay deleted in the PMS stays in the history, as cancelled.
              status: row.deleted ? 'cancelled' : MEMBER_STAY_STATUS[row.status as keyof typeof MEMBER_STAY_STATUS],
              adults: row.adults,
              children: row.children,
            },
          });
        }
        const plans = await bulk.planStays(ctx, placed.map((p) => p.stay));
        const written = await bulk.applyPmsStays(ctx, plans, { runId, label });
        await repo.markStaysApplied(tx, tenantId, connection.id, placed.map((p) => ({ stayKey: p.row.stay_key, memberId: p.row.member_id, rowHash: p.row.row_hash })));
        await repo.clearStaysPending(tx, tenantId, connection.id, pending.filter((p) => !keepPending.has(p.gcust_cod)).map((p) => p.gcust_cod));
        await repo.addToRun(tx, tenantId, runId, { staysApplied: written, rejected: rejects.length }, rejects);
        return pending;
      });
      if (profiles.length < PENDING_BATCH) return;
      after = profiles.at(-1)!.gcust_cod;
    }
  }

  // ---- the run ----

  async function setPhase(tenantId: TenantId, runId: string, phase: RunPhase): Promise<void> {
    await db.withTenant(tenantId, (tx) => repo.updateRun(tx, tenantId, runId, { phase }));
  }

  function backoffMinutes(failures: number, schedule: number): number {
    return Math.min(schedule, 2 ** Math.max(0, failures - 1));
  }

  // Failures that retrying will not mend: shown as an alert at once.
  const STOPPING: ReadonlySet<string> = new Set(['unauthorized', 'forbidden_hotel', 'invalid_parameter', 'response_too_large']);

  async function failRun(tenantId: TenantId, runId: string, error: { code: string; message: string }): Promise<void> {
    const now = clock.now();
    await db.withTenant(tenantId, async (tx) => {
      const run = await repo.findRun(tx, tenantId, runId);
      if (!run || run.status !== 'running') return;
      const entry: RunError = { at: now.toISOString(), code: error.code, message: error.message.slice(0, 500), attempt: run.errors.length + 1 };
      const cursors = await repo.findCursors(tx, tenantId, run.connectionId);
      if (!(await repo.finishRun(tx, tenantId, runId, { status: 'failed', finishedAt: now, errors: [...run.errors, entry], cursorAfter: cursorSummary(cursors) }))) return;
      const connection = (await repo.findConnection(tx, tenantId, run.connectionId))!;
      const failures = connection.consecutiveFailures + 1;
      const alert = STOPPING.has(error.code) || failures >= 3;
      await repo.updateConnection(
        tx,
        tenantId,
        connection.id,
        {
          consecutiveFailures: failures,
          nextRunAt: new Date(now.getTime() + backoffMinutes(failures, connection.scheduleMinutes) * 60_000),
          ...(alert ? { alertCode: error.code, alertMessage: error.message.slice(0, 500), alertSince: connection.alertSince ?? now } : {}),
        },
        now,
      );
    });
  }

  function cursorSummary(cursors: repo.CursorRow[]) {
    return Object.fromEntries(cursors.map((c) => [c.stream, { since: c.since, resumeAfterPage: c.walkActive ? c.walkPages : null }]));
  }

  /** The job: carries a run through to the end, or records why it could not. Safe to run again for the same run. */
  async function runSync(tenantId: TenantId, runId: string, attempt: { retryCount: number; lastAttempt: boolean }): Promise<void> {
    const loaded = await db.withTenant(tenantId, async (tx) => {
      const run = await repo.findRun(tx, tenantId, runId);
      if (!run || run.status !== 'running') return null;
      const connection = await repo.findConnection(tx, tenantId, run.connectionId);
      return connection ? { run, connection } : null;
    });
    if (!loaded) return;
    const { connection } = loaded;
    try {
      // A file connection, or a run an upload started, applies files only: the PMS is not called.
      const connector = connection.kind !== 'dean_http' || loaded.run.trigger === 'upload' ? null : connectorFor(connection);
      // A retried job (a worker that died) goes on from the step it was in: a feed walked to its end is not walked again.
      const order: RunPhase[] = ['profiles', 'stays', 'matching', 'stays_to_members', 'done'];
      const from = order.indexOf(loaded.run.phase);
      if (from <= 0) {
        await fileIngest.pickUp(tenantId, runId, connection);
        await fileIngest.applyPending(tenantId, runId, connection);
        if (connector) await walk(tenantId, runId, connection, connector, 'guests');
      }
      if (from <= 1) {
        await setPhase(tenantId, runId, 'stays');
        if (connector) await walk(tenantId, runId, connection, connector, 'stays');
      }
      if (from <= 2) {
        await setPhase(tenantId, runId, 'matching');
        // A first load (or any large one) leaves the planner guessing until autovacuum analyses the tables, and the
        // steps below look profiles and stays up by key: their plans need the real row counts.
        const stale = await db.withTenant(tenantId, async (tx) => {
          const walked = await repo.findRun(tx, tenantId, runId);
          return walked ? repo.statisticsStale(tx, walked.created + walked.updated, LARGE_LOAD) : false;
        });
        if (stale) await repo.refreshPmsStatistics(db);
        await db.withTenant(tenantId, async (tx) => {
          const result = await matchConnection(ctxOf(tx, tenantId), connection);
          await repo.updateRun(tx, tenantId, runId, { linked: result.newlyLinked, inReview: result.report.inReview, unmatched: result.report.unmatched, report: result.report, phase: 'stays_to_members' });
        });
      }
      await applyFieldsToMembers(tenantId, runId, connection);
      await applyStaysToMembers(tenantId, runId, connection);
      const now = clock.now();
      await db.withTenant(tenantId, async (tx) => {
        const totals = await repo.countStays(tx, tenantId, connection.id);
        const run = await repo.findRun(tx, tenantId, runId);
        const report = { ...(run?.report ?? {}), stays: totals.stays, staysOnMembers: totals.staysOnMembers };
        const cursors = await repo.findCursors(tx, tenantId, connection.id);
        if (!(await repo.finishRun(tx, tenantId, runId, { status: 'succeeded', phase: 'done', finishedAt: now, report, cursorAfter: cursorSummary(cursors) }))) return;
        await repo.updateConnection(
          tx,
          tenantId,
          connection.id,
          { consecutiveFailures: 0, alertCode: null, alertMessage: '', alertSince: null, lastSuccessAt: now, nextRunAt: new Date(loaded.run.startedAt.getTime() + connection.scheduleMinutes * 60_000) },
          now,
        );
      });
    } catch (error) {
      if (error instanceof Superseded) return;
      if (error instanceof PmsError) return failRun(tenantId, runId, { code: error.code, message: error.message });
      // Anything else (a bug, the database, a worker that died mid-page): the job is retried and resumes from the
      // checkpoint; on its last attempt the run is failed so that the next scheduled run can start.
      if (attempt.lastAttempt) await failRun(tenantId, runId, { code: 'internal', message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  const RETRY_LIMIT = 5;

  function jobs(): Array<JobDefinition<{ tenantId: string; runId: string }>> {
    return [
      {
        ...SYNC_JOB,
        retryLimit: RETRY_LIMIT,
        // A full first load pages through everything; the cursor's compare-and-set stops a second worker on the same run.
        expireInSeconds: 3600,
        handler: (data, job) => runSync(data.tenantId as TenantId, data.runId, { retryCount: job.retryCount, lastAttempt: job.retryCount >= RETRY_LIMIT }),
      },
    ];
  }

  /**
   * The scheduler (one job every minute for all hotel groups, decision 0010 "Scheduling"): claims the due connections
   * in batches (repo.claimDueConnections: safe with several workers) and starts each one's run in its hotel group's
   * scope: a full walk when the night's has not started yet, else an incremental one. Runs nobody carries any more are
   * failed first. Returns the runs started.
   */
  async function scheduleDue(): Promise<number> {
    let started = 0;
    for (;;) {
      const now = clock.now();
      const claimed = await db.withPlatform((tx) => repo.claimDueConnections(tx, now, { limit: CLAIM_BATCH, leaseMs: CLAIM_LEASE_MS, nightlyHour: NIGHTLY_FULL_HOUR }));
      for (const connection of claimed) {
        const run = await db.withTenant(connection.tenantId, async (tx) => {
          await repo.abandonStaleRuns(tx, connection.tenantId, new Date(now.getTime() - 2 * 3600_000), now);
          // A run under way (sync now, an upload, a long first load) keeps its place: its end sets the next run.
          return startRun(ctxOf(tx, connection.tenantId), connection.id, connection.full ? 'full' : 'schedule', null);
        });
        if (run) started++;
      }
      if (claimed.length < CLAIM_BATCH) return started;
    }
  }

  return { startRun, runSync, jobs, scheduleDue, matchConnection, connectorFor, fileIngest };
}

export type PmsSync = ReturnType<typeof createPmsSync>;
