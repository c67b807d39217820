import { namesInternalHost } from './pms.outbound.ts';
import type { Clock } from '../../core/clock.ts';
import { assertCan, type RequestContext, type TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import type { Tx } from '../../core/db/database.ts';
import { AppError, isUniqueViolation, withUniqueErrors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { maskEmail, maskMobile, visibleMembers, type MembersService } from '../members/index.ts';
import { assertPropertiesExist } from '../tenants/index.ts';
import { PmsError } from './pms.connector.ts';
import { findFilesOfRuns } from './pms.files.repository.ts';
import * as repo from './pms.repository.ts';
import type { PmsPush } from './pms.push.ts';
import type { MatchReport, PmsSync, StoredProfile } from './pms.sync.ts';
import type { ReviewCaseStatus } from './pms.tables.ts';

export type ConnectionInput = {
  name: string;
  kind: 'dean_http' | 'dean_file';
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  dropDir?: string | null | undefined;
  hotelCod?: string | null | undefined;
  propertyMap: Record<string, string>;
  defaultPropertyId?: string | null | undefined;
  statusDialect: 'KTW' | 'BACCHUS';
  scheduleMinutes: number;
  overlapSeconds: number;
  enabled: boolean;
  linkUnverifiedMobile: boolean;
};
export type ConnectionPatch = Partial<Omit<ConnectionInput, 'kind'>>;

/**
 * The PMS page's server side: one connection per hotel group (its key encrypted), "sync now", the run history, the
 * match report, and the PMS match reviews staff decide in 綁定審核 (the same queue page as LINE bindings).
 */
export function createPmsService(deps: { clock: Clock; keyring: Keyring; sync: PmsSync; push: PmsPush; members: MembersService; allowHttp: boolean; allowPrivateNetwork: boolean; dropRootConfigured?: boolean }) {
  const { clock, keyring, sync } = deps;

  async function requireConnection(ctx: TenantContext, id: string): Promise<repo.ConnectionRow> {
    const connection = await repo.findConnection(ctx.db, ctx.tenantId, id);
    if (!connection) throw new AppError('pms.connection_not_found');
    return connection;
  }

  function checkUrl(url: string): void {
    // The key travels in a header: only over TLS, except against the demo's local simulator.
    if (!url.startsWith('https://') && !deps.allowHttp) throw new AppError('pms.insecure_url', { field: 'baseUrl' });
    // An address inside Innkeeper's own network is refused here by its name; calls check what the name resolves to.
    if (!deps.allowPrivateNetwork && namesInternalHost(url)) throw new AppError('pms.internal_address', { field: 'baseUrl' });
  }

  async function checkProperties(ctx: TenantContext, map: Record<string, string> | undefined, fallback: string | null | undefined): Promise<void> {
    const ids = [...new Set([...Object.values(map ?? {}), ...(fallback ? [fallback] : [])])];
    if (ids.length === 0) return;
    try {
      await assertPropertiesExist(ctx, ids);
    } catch {
      throw new AppError('pms.property_not_found', { field: 'propertyMap' });
    }
  }

  function toRun(run: repo.RunRow) {
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      phase: run.phase,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      pulledProfiles: run.pulledProfiles,
      pulledStays: run.pulledStays,
      created: run.created,
      updated: run.updated,
      unchanged: run.unchanged,
      linked: run.linked,
      inReview: run.inReview,
      unmatched: run.unmatched,
      rejected: run.rejected,
      staysApplied: run.staysApplied,
      rejects: run.rejects,
      errors: run.errors,
      report: (run.report as MatchReport | null) ?? null,
    };
  }

  async function toConnection(ctx: TenantContext, c: repo.ConnectionRow) {
    const running = await repo.findRunningRun(ctx.db, ctx.tenantId, c.id);
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      baseUrl: c.baseUrl,
      apiKeyHint: c.apiKeyHint,
      dropDir: c.dropDir,
      dropRootConfigured: deps.dropRootConfigured ?? false,
      hotelCod: c.hotelCod,
      propertyMap: c.propertyMap,
      defaultPropertyId: c.defaultPropertyId,
      statusDialect: c.statusDialect,
      scheduleMinutes: c.scheduleMinutes,
      overlapSeconds: c.overlapSeconds,
      enabled: c.enabled,
      linkUnverifiedMobile: c.linkUnverifiedMobile,
      consecutiveFailures: c.consecutiveFailures,
      alert: c.alertCode ? { code: c.alertCode, message: c.alertMessage, since: c.alertSince } : null,
      nextRunAt: c.nextRunAt,
      lastSuccessAt: c.lastSuccessAt,
      lastFullAt: c.lastFullAt,
      running: running ? toRun(running) : null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  async function listConnections(ctx: TenantContext) {
    const rows = await repo.findConnections(ctx.db, ctx.tenantId);
    return Promise.all(rows.map((c) => toConnection(ctx, c)));
  }

  async function getConnection(ctx: TenantContext, id: string) {
    return toConnection(ctx, await requireConnection(ctx, id));
  }

  /** One connection per hotel group: the PMS is the group's (several properties come through one key). */
  async function createConnection(ctx: TenantContext, input: ConnectionInput, createdBy: string | null) {
    if (input.kind === 'dean_http') checkUrl(input.baseUrl ?? '');
    if ((await repo.findConnections(ctx.db, ctx.tenantId)).length > 0) throw new AppError('pms.connection_exists');
    await checkProperties(ctx, input.propertyMap, input.defaultPropertyId);
    const now = clock.now();
    // The check above answers at once; the unique index decides between two requests at once.
    const row = await withUniqueErrors(() => repo.insertConnection(ctx.db, {
      tenantId: ctx.tenantId,
      id: newId(),
      name: input.name,
      kind: input.kind,
      baseUrl: input.kind === 'dean_http' ? (input.baseUrl ?? '') : '',
      apiKeyEncrypted: input.kind === 'dean_http' && input.apiKey ? keyring.encrypt(input.apiKey) : null,
      apiKeyHint: input.kind === 'dean_http' && input.apiKey ? input.apiKey.slice(-4) : '',
      dropDir: input.dropDir ?? null,
      hotelCod: input.hotelCod ?? null,
      propertyMap: input.propertyMap,
      defaultPropertyId: input.defaultPropertyId ?? null,
      statusDialect: input.statusDialect,
      scheduleMinutes: input.scheduleMinutes,
      overlapSeconds: input.overlapSeconds,
      enabled: input.enabled,
      linkUnverifiedMobile: input.linkUnverifiedMobile,
      nextRunAt: now,
      // The first load reads everything: it is the first night's full walk.
      lastFullAt: now,
      createdBy,
      createdAt: now,
      updatedAt: now,
    }), { pms_connections_tenant_key: () => new AppError('pms.connection_exists'), pms_connections_drop_dir_key: () => new AppError('pms.drop_dir_taken') });
    await recordAudit(ctx, { action: 'pms.connection_created', targetType: 'pms_connection', targetId: row.id, details: { name: row.name, baseUrl: row.baseUrl } });
    return toConnection(ctx, row);
  }

  async function updateConnection(ctx: TenantContext, id: string, patch: ConnectionPatch) {
    const before = await requireConnection(ctx, id);
    const fields = Object.keys(patch).filter((k) => patch[k as keyof ConnectionPatch] !== undefined);
    // Nothing asked: nothing written, nothing audited.
    if (fields.length === 0) return toConnection(ctx, before);
    if (patch.baseUrl !== undefined) checkUrl(patch.baseUrl);
    if (patch.propertyMap !== undefined || patch.defaultPropertyId) await checkProperties(ctx, patch.propertyMap, patch.defaultPropertyId);
    const now = clock.now();
    const { apiKey, ...rest } = patch;
    const columns = {
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      ...(apiKey !== undefined ? { apiKeyEncrypted: keyring.encrypt(apiKey), apiKeyHint: apiKey.slice(-4) } : {}),
      // A new schedule takes effect from the last run; a new key or URL is tried at the next minute.
      ...(patch.scheduleMinutes !== undefined && before.lastSuccessAt ? { nextRunAt: new Date(before.lastSuccessAt.getTime() + patch.scheduleMinutes * 60_000) } : {}),
      ...(apiKey !== undefined || patch.baseUrl !== undefined || patch.enabled === true ? { nextRunAt: now } : {}),
    };
    const row = await withUniqueErrors(() => repo.updateConnection(ctx.db, ctx.tenantId, id, columns, now), { pms_connections_drop_dir_key: () => new AppError('pms.drop_dir_taken') });
    await recordAudit(ctx, { action: 'pms.connection_updated', targetType: 'pms_connection', targetId: id, details: { fields } });
    return toConnection(ctx, row!);
  }

  /**
   * Deletes the connection (docs/decisions/0010-pms-sync.md "Deleting the connection"): syncing stops and Innkeeper's
   * copy of the PMS goes, links included; members keep the stays, contact details and history the sync gave them.
   * Refused while a sync runs (the sync would write into what is being removed): staff wait for it, or turn the
   * schedule off first. Connecting again starts with a first full load and links by the same rules.
   */
  async function deleteConnection(ctx: TenantContext, id: string) {
    await requireConnection(ctx, id);
    const removed = await repo.deleteConnection(ctx.db, ctx.tenantId, id);
    if (!removed) {
      // Gone meanwhile (a second click), or a sync under way.
      if (!(await repo.findConnection(ctx.db, ctx.tenantId, id))) throw new AppError('pms.connection_not_found');
      throw new AppError('pms.sync_running');
    }
    await recordAudit(ctx, { action: 'pms.connection_deleted', targetType: 'pms_connection', targetId: id, details: removed });
    return { ok: true as const };
  }

  /**
   * Asks the PMS's /health with the stored key: reachable, which hotels, writable columns, clock skew. The call is made
   * after the request's transaction has committed (an after-commit task fills in the answer the route returns), so no
   * database connection waits on a PMS that is slow to answer.
   */
  async function testConnection(ctx: TenantContext, id: string) {
    const connection = await requireConnection(ctx, id);
    // One attempt with a short timeout: this answers a person waiting on the page.
    const connector = sync.connectorFor(connection, { attempts: 1, timeoutMs: 10_000 });
    const answer = {} as Awaited<ReturnType<typeof askHealth>>;
    ctx.afterCommit(async () => void Object.assign(answer, await askHealth(connector)));
    return answer;
  }

  async function askHealth(connector: ReturnType<PmsSync['connectorFor']>) {
    try {
      const health = await connector.health();
      const theirs = Date.parse(`${health.serverTime.replace(' ', 'T')}+08:00`);
      return {
        ok: true,
        code: null as string | null,
        message: null as string | null,
        serverTime: health.serverTime as string | null,
        clockSkewSeconds: Number.isFinite(theirs) ? Math.round((theirs - clock.now().getTime()) / 1000) : null,
        hotels: health.hotels.map((h) => ({ code: String(h.HOTEL_COD), name: String(h.HOTEL_NAM ?? '') })),
        writable: health.writable,
        statusDialect: health.statusDialect as string | null,
      };
    } catch (error) {
      if (!(error instanceof PmsError)) throw error;
      return { ok: false, code: error.code as string | null, message: error.message as string | null, serverTime: null, clockSkewSeconds: null, hotels: [], writable: [], statusDialect: null };
    }
  }

  async function syncNow(ctx: RequestContext, id: string) {
    const connection = await repo.holdConnection(ctx.db, ctx.tenantId, id);
    if (!connection) throw new AppError('pms.connection_not_found');
    if (!connection.enabled) throw new AppError('pms.connection_disabled');
    const run = await sync.startRun(ctx, id, 'manual', ctx.accountId);
    if (!run) throw new AppError('pms.sync_running');
    await recordAudit(ctx, { action: 'pms.sync_requested', targetType: 'pms_connection', targetId: id, details: { runId: run.id } });
    return toRun(run);
  }

  /** The last 50 runs, each with the files it took (a 德安 export or another PMS's file: the history tells them apart). */
  async function listRuns(ctx: TenantContext, id: string) {
    await requireConnection(ctx, id);
    const runs = await repo.findRuns(ctx.db, ctx.tenantId, id, 50);
    const files = new Map<string, Array<{ name: string; layout: 'dean' | 'generic' }>>();
    for (const f of await findFilesOfRuns(ctx.db, ctx.tenantId, runs.map((r) => r.id))) files.set(f.run_id, [...(files.get(f.run_id) ?? []), { name: f.name, layout: f.layout }]);
    return runs.map((run) => ({ ...toRun(run), files: files.get(run.id) ?? [] }));
  }

  async function report(ctx: TenantContext, id: string) {
    await requireConnection(ctx, id);
    const runs = await repo.findRuns(ctx.db, ctx.tenantId, id, 20);
    const last = runs.find((r) => r.status === 'succeeded' && r.report);
    const cases = await repo.countCases(ctx.db, ctx.tenantId, id);
    return { report: (last?.report as MatchReport | undefined) ?? null, openReviews: cases['open'] ?? 0, lastRunAt: last?.finishedAt ?? null, pushBack: await deps.push.outboxCounts(ctx, id) };
  }

  /**
   * A page of the field conflicts the sync recorded (migration 0040) for members this account sees, with the member's
   * number and name for the link: both values masked, which side won, when each changed.
   */
  async function listConflicts(ctx: RequestContext, id: string, query: { page: number; pageSize: number; field?: 'email' | 'mobile' | 'marketingOptIn' | undefined }) {
    await requireConnection(ctx, id);
    const { rows, total } = await repo.findFieldConflicts(ctx.db, ctx.tenantId, id, visibleMembers(ctx), { offset: (query.page - 1) * query.pageSize, limit: query.pageSize, field: query.field });
    const members = await deps.members.getMembersByIds(ctx, rows.map((r) => r.memberId));
    const data = rows.flatMap((r) => {
      const member = members.get(r.memberId);
      if (!member) return [];
      return [{ id: r.id, member: { id: member.id, memberNo: member.memberNo, lastName: member.lastName, firstName: member.firstName }, gcustCod: r.gcustCod, field: r.field, pmsValue: r.pmsValue, crmValue: r.crmValue, kept: r.kept, pmsChangedAt: r.pmsChangedAt, crmChangedAt: r.crmChangedAt, recordedAt: r.recordedAt }];
    });
    return { data, total, page: query.page, pageSize: query.pageSize };
  }

  // ---- reviews ----

  /** The candidates' profiles of many cases at once: one query for the profiles, one for their stay counts. */
  async function profileViews(ctx: TenantContext, rows: ReadonlyArray<{ connectionId: string; candidates: Array<{ profileIds: string[] }> }>) {
    const views = new Map<string, ReturnType<typeof profileView>>();
    const byConnection = new Map<string, Set<string>>();
    for (const row of rows) for (const c of row.candidates) for (const id of c.profileIds) byConnection.set(row.connectionId, (byConnection.get(row.connectionId) ?? new Set()).add(id));
    for (const [connectionId, keys] of byConnection) {
      const profiles = await repo.findProfilesByKeys(ctx.db, ctx.tenantId, connectionId, [...keys]);
      const stays = await repo.countStaysOfProfiles(ctx.db, ctx.tenantId, [...keys]);
      for (const p of profiles) views.set(`${connectionId}|${p.gcust_cod}`, profileView(p, stays.get(`${connectionId}|${p.gcust_cod}`)));
    }
    return views;
  }

  function profileView(row: repo.StoredProfile & { upd_dat?: string }, stays: { stays: number; lastStay: string | null } | undefined) {
    const p = row.profile as unknown as StoredProfile;
    return {
      gcustCod: row.gcust_cod,
      registeredName: p.registeredName ?? null,
      bookedName: p.bookedName ? `${p.bookedName.lastName} ${p.bookedName.firstName}`.trim() : null,
      mobiles: (p.mobiles ?? []).map((m) => maskMobile(m.e164)),
      email: p.email ? maskEmail(p.email) : null,
      identity: p.id ? { format: p.id.format, masked: p.id.masked } : null,
      // A birth date is personal data: the year only, which is what tells two people apart at a glance.
      birthDate: p.birthDate ? `${p.birthDate.slice(0, 4)}-**-**` : null,
      hotelCod: p.hotelCod ?? null,
      updatedAt: p.updatedAt ?? row.upd_dat ?? '',
      deleted: row.deleted,
      linkedMemberId: row.member_id,
      stays: stays?.stays ?? 0,
      lastStay: stays?.lastStay ?? null,
    };
  }

  /**
   * One page of the cases of members this account sees (decision 0006; scoped in the query, before the page is cut),
   * with each candidate's profiles, masked, and the total: a fixed number of queries however many cases.
   */
  async function listReviews(ctx: RequestContext, query: { status: 'open' | 'linked' | 'rejected'; reason?: string | undefined; page: number; pageSize: number }) {
    const { rows, total } = await repo.findCases(ctx.db, ctx.tenantId, [query.status] as ReviewCaseStatus[], visibleMembers(ctx), { offset: (query.page - 1) * query.pageSize, limit: query.pageSize, reason: query.reason });
    const members = await deps.members.getMembersByIds(ctx, rows.map((r) => r.memberId));
    const views = await profileViews(ctx, rows);
    const data = rows.flatMap((row) => {
      const member = members.get(row.memberId);
      if (!member) return [];
      return [
        {
          id: row.id,
          status: row.status,
          reasons: row.reasons,
          member: { id: member.id, memberNo: member.memberNo, lastName: member.lastName, firstName: member.firstName, mobile: member.mobile, email: member.email, identity: member.identity, birthday: member.birthday ? `${member.birthday.slice(0, 4)}-**-**` : null },
          candidates: row.candidates.map((c) => ({ personId: c.personId, profiles: c.profileIds.flatMap((id) => views.get(`${row.connectionId}|${id}`) ?? []) })),
          resolvedProfileIds: row.resolvedProfileIds,
          createdAt: row.createdAt,
          resolvedAt: row.resolvedAt,
        },
      ];
    });
    return { data, total, page: query.page, pageSize: query.pageSize };
  }

  async function requireOpenCase(ctx: RequestContext, id: string) {
    const row = await repo.findCase(ctx.db, ctx.tenantId, id);
    // A case of a member this account cannot see does not exist for it.
    if (!row || !(await deps.members.getMembersByIds(ctx, [row.memberId])).has(row.memberId)) throw new AppError('pms.review_not_found');
    if (row.status !== 'open') throw new AppError('pms.review_closed');
    return row;
  }

  /**
   * Staff link the member to the profiles they picked (all of one candidate = approve; some = pick). The case closes
   * by compare-and-set; a profile another member holds is refused; the stays follow at the next sync.
   */
  async function linkReview(ctx: RequestContext, id: string, profileIds: string[]) {
    const row = await requireOpenCase(ctx, id);
    const offered = new Set(row.candidates.flatMap((c) => c.profileIds));
    if (profileIds.some((p) => !offered.has(p))) throw new AppError('pms.profile_not_candidate', { field: 'profileIds' });
    const now = clock.now();
    if (!(await repo.closeCase(ctx.db, ctx.tenantId, id, { status: 'linked', resolvedProfileIds: profileIds, resolvedBy: ctx.accountId, at: now }))) throw new AppError('pms.review_closed');
    const current = await repo.findProfilesByKeys(ctx.db, ctx.tenantId, row.connectionId, profileIds);
    if (current.some((p) => p.member_id && p.member_id !== row.memberId)) throw new AppError('pms.profile_taken');
    const linked = await repo.linkProfiles(ctx.db, ctx.tenantId, row.connectionId, row.memberId, profileIds, { tier: 'staff', source: 'staff' }, now);
    // Read again after the update: a colleague's decision (or a sync) that linked a profile to someone else while this
    // one waited for its row leaves the update nothing to do, and the case must not then say it was linked here.
    if (linked.length < profileIds.length) {
      const after = await repo.findProfilesByKeys(ctx.db, ctx.tenantId, row.connectionId, profileIds);
      if (after.some((p) => !p.deleted && p.member_id !== null && p.member_id !== row.memberId)) throw new AppError('pms.profile_taken');
    }
    await recordAudit(ctx, { action: 'pms.review_linked', targetType: 'member', targetId: row.memberId, details: { reviewId: id, profiles: profileIds.length } });
    return { ok: true as const, linkedProfiles: linked.length };
  }

  /** Staff say none of the candidates is this member: the same candidates are not offered again. */
  async function rejectReview(ctx: RequestContext, id: string) {
    const row = await requireOpenCase(ctx, id);
    const at = clock.now();
    let closed: boolean;
    try {
      // On a savepoint: the same candidates may have been rejected already (a sync that read the rejected cases just
      // before a rejection reopened them), and the unique index on rejected cases then refuses a second one.
      closed = await ctx.db.transaction((savepoint) => repo.closeCase(savepoint as Tx, ctx.tenantId, id, { status: 'rejected', resolvedProfileIds: null, resolvedBy: ctx.accountId, at }));
    } catch (error) {
      if (!isUniqueViolation(error, 'pms_review_cases_rejected_key')) throw error;
      // That decision stands: this copy of the case is superseded by it.
      await repo.supersedeCases(ctx.db, ctx.tenantId, [id], at);
      closed = true;
    }
    if (!closed) throw new AppError('pms.review_closed');
    await recordAudit(ctx, { action: 'pms.review_rejected', targetType: 'member', targetId: row.memberId, details: { reviewId: id } });
    return { ok: true as const, linkedProfiles: 0 };
  }

  /** The PMS profiles linked to one member (the member page). */
  async function memberProfiles(ctx: RequestContext, memberId: string) {
    await deps.members.requireMember(ctx, memberId);
    const rows = await repo.findProfilesOfMember(ctx.db, ctx.tenantId, memberId);
    const stays = await repo.countStaysOfProfiles(ctx.db, ctx.tenantId, rows.map((r) => r.gcust_cod));
    return rows.map((row) => profileView(row, stays.get(`${row.connection_id}|${row.gcust_cod}`)));
  }

  /**
   * The front desk's change file holds members' contact details in full (they are typed into the PMS from it): it
   * needs personal_data.unmasked besides pms.manage, like an unmasked member export, and every download is audited.
   */
  async function changeFile(ctx: RequestContext, id: string) {
    assertCan(ctx, 'personal_data.unmasked');
    const file = await deps.push.changeFile(ctx, id);
    await recordAudit(ctx, { action: 'pms.change_file_downloaded', targetType: 'pms_connection', targetId: id, details: {} });
    return file;
  }

  return { changeFile, listConnections, getConnection, createConnection, updateConnection, deleteConnection, testConnection, syncNow, listRuns, report, listConflicts, listReviews, linkReview, rejectReview, memberProfiles };
}

export type PmsService = ReturnType<typeof createPmsService>;
