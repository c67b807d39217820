import { csvFile } from '../../core/csv-file.ts';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import type { Database } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import { newId, type TenantId } from '../../core/ids.ts';
import type { JobDefinition, JobQueue, JobRef } from '../../core/jobs/queue.ts';
import type { EditHook } from '../members/index.ts';
import { PmsError } from './pms.connector.ts';
import * as repo from './pms.repository.ts';
import type { PmsSync, StoredProfile } from './pms.sync.ts';

/**
 * Push-back (contract §6; decision 0010): a staff or guest edit of a field the PMS holds, on a member linked to PMS
 * profiles, becomes one outbox row per profile in the edit's own transaction, with an Idempotency-Key stored before any
 * attempt, and a `pms.push` job sends it. Field rules: contact fields and names take the later change — on a 409 whose
 * current row is older than the edit, the edit is sent again on that row (a new key); a newer PMS change wins and the
 * conflict is recorded. A marketing opt-out is pushed as DM_FLAG=N (an opt-out from either side wins; DM_FLAG=Y is
 * 德安's default and is never pushed as consent). A PMS that accepts no writes (501) gets the change in the front
 * desk's change file instead.
 */

export const PUSH_JOB: JobRef<{ tenantId: string; outboxId: string }> = { name: 'pms.push', schema: z.strictObject({ tenantId: z.uuid(), outboxId: z.uuid() }) };

/** Taiwan mobiles as the front desk types them (09…); other countries in E.164. */
function mobileForPms(e164: string): string {
  return e164.startsWith('+886') ? `0${e164.slice(4)}` : e164;
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Taipei, as 德安 stamps UPD_DAT. */
function taipeiLocal(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function createPmsPush(deps: { db: Database; clock: Clock; queue: () => JobQueue; sync: PmsSync }) {
  const { clock } = deps;

  function keyOf(tenantId: string, connectionId: string, gcust: string, set: Record<string, string | null>, base: string): string {
    const sorted = Object.keys(set)
      .sort()
      .map((k) => `${k}=${set[k] ?? ''}`)
      .join('&');
    return createHash('sha256').update(`${tenantId}|${connectionId}|${gcust}|${sorted}|${base}`).digest('hex');
  }

  /** What of an edit the PMS holds, in 德安's columns. */
  function columnsOf(fields: string[], after: Parameters<EditHook>[1]['after']): Record<string, string | null> {
    const set: Record<string, string | null> = {};
    if (fields.includes('email')) set['E_MAIL'] = after.email;
    if (fields.includes('mobile') && after.mobile) set['MOBILE'] = mobileForPms(after.mobile);
    if (fields.includes('lastName')) set['LAST_NAM'] = after.lastName;
    if (fields.includes('firstName')) set['FIRST_NAM'] = after.firstName;
    if (fields.includes('gender') && (after.gender === 'male' || after.gender === 'female')) set['SEX_TYP'] = after.gender === 'male' ? 'M' : 'F';
    if (fields.includes('marketingOptIn') && after.marketingOptIn === false) set['DM_FLAG'] = 'N';
    return set;
  }

  /** The members module's edit hook: queue the change for every live PMS profile linked to the member. */
  const onMemberEdited: EditHook = async (ctx, edit) => {
    const set = columnsOf(edit.fields, edit.after);
    if (Object.keys(set).length === 0) return;
    const profiles = (await repo.findProfilesOfMember(ctx.db, ctx.tenantId, edit.memberId)).filter((p) => !p.deleted);
    const now = clock.now();
    for (const profile of profiles) {
      const stored = profile.profile as unknown as StoredProfile;
      // What the PMS held at the last sync, for the change file's old_value (relay e-mails were never kept).
      const held: Record<string, string | null> = {
        E_MAIL: stored.email ?? null,
        MOBILE: stored.mobiles?.[0] ? mobileForPms(stored.mobiles[0].e164) : null,
        LAST_NAM: stored.bookedName?.lastName ?? null,
        FIRST_NAM: stored.bookedName?.firstName ?? null,
        SEX_TYP: stored.gender ?? null,
        DM_FLAG: stored.dmOptOut ? 'N' : null,
      };
      const old = Object.fromEntries(Object.keys(set).map((k) => [k, held[k] ?? null]));
      const row = await repo.insertOutbox(ctx.db, {
        tenantId: ctx.tenantId,
        id: newId(),
        connectionId: profile.connection_id,
        gcustCod: profile.gcust_cod,
        memberId: edit.memberId,
        setColumns: set,
        oldValues: old,
        baseUpdDat: profile.upd_dat,
        idempotencyKey: keyOf(ctx.tenantId, profile.connection_id, profile.gcust_cod, set, profile.upd_dat),
        origin: ctx.kind === 'request' ? 'staff' : 'system',
        requestedAt: now,
      });
      if (row) await deps.queue().enqueue(ctx.db, PUSH_JOB, { tenantId: ctx.tenantId, outboxId: row.id });
    }
  };

  /** One attempt to send one change; retryable failures throw (the queue retries with the same stored key). */
  async function push(tenantId: TenantId, outboxId: string): Promise<void> {
    const loaded = await deps.db.withTenant(tenantId, async (tx) => {
      const row = await repo.findOutbox(tx, tenantId, outboxId);
      if (!row || row.status !== 'pending') return null;
      await repo.countAttempt(tx, tenantId, outboxId);
      const connection = await repo.findConnection(tx, tenantId, row.connectionId);
      return connection ? { row, connection } : null;
    });
    if (!loaded) return;
    const { row, connection } = loaded;
    const connector = deps.sync.connectorFor(connection);
    const settle = (patch: Parameters<typeof repo.settleOutbox>[3]) => deps.db.withTenant(tenantId, (tx) => repo.settleOutbox(tx, tenantId, outboxId, { ...patch, sentAt: clock.now() }));
    try {
      const outcome = await connector.pushBack({ gcustCod: row.gcustCod, baseUpdDat: row.baseUpdDat, set: row.setColumns, idempotencyKey: row.idempotencyKey });
      if (outcome.status === 'conflict') {
        const current = outcome.current as { UPD_DAT?: unknown } | null;
        const theirs = typeof current?.UPD_DAT === 'string' ? current.UPD_DAT : null;
        // The later change wins: the PMS row changed before this edit was made, so the edit goes on that row.
        if (theirs && theirs < taipeiLocal(row.requestedAt)) {
          const retried = await connector.pushBack({ gcustCod: row.gcustCod, baseUpdDat: theirs, set: row.setColumns, idempotencyKey: keyOf(tenantId, row.connectionId, row.gcustCod, row.setColumns, theirs) });
          if (retried.status !== 'conflict') {
            await settle({ status: retried.status === 'applied' ? 'applied' : retried.status === 'noop' ? 'noop' : retried.status === 'unsupported' ? 'change_file' : 'rejected', result: { ...retried, conflictResolved: { theirs, rule: 'later_change_wins' } } });
            return;
          }
        }
        await settle({ status: 'conflict', result: { current: outcome.current, rule: 'the PMS changed after this edit: its value is kept' } });
        return;
      }
      if (outcome.status === 'applied') await settle({ status: 'applied', result: { updDat: outcome.updDat } });
      else if (outcome.status === 'noop') await settle({ status: 'noop', result: {} });
      else if (outcome.status === 'unsupported') await settle({ status: 'change_file', result: {} });
      else await settle({ status: 'rejected', result: { code: outcome.code, message: outcome.message } });
    } catch (error) {
      if (error instanceof PmsError && error.code === 'not_found') {
        await settle({ status: 'rejected', result: { code: 'not_found', message: error.message } });
        return;
      }
      throw error;
    }
  }

  function jobs(): Array<JobDefinition<{ tenantId: string; outboxId: string }>> {
    return [{ ...PUSH_JOB, retryLimit: 10, handler: (data) => push(data.tenantId as TenantId, data.outboxId) }];
  }

  /** The front desk's change file (contract §9.4): one row per changed column of each change the PMS could not take. */
  async function changeFile(ctx: TenantContext, connectionId: string): Promise<string> {
    if (!(await repo.findConnection(ctx.db, ctx.tenantId, connectionId))) throw new AppError('pms.connection_not_found');
    const rows = await repo.findOutboxByStatus(ctx.db, ctx.tenantId, connectionId, 'change_file', 5000);
    const lines = [['idempotency_key', 'GCUST_COD', 'column', 'old_value', 'new_value', 'requested_at', 'origin']];
    for (const r of rows) {
      for (const [column, value] of Object.entries(r.setColumns)) {
        lines.push([r.idempotencyKey, r.gcustCod, column, String(r.oldValues[column] ?? ''), String(value ?? ''), taipeiLocal(r.requestedAt), r.origin]);
      }
    }
    // The front desk opens it in Excel: names typed by guests or booking sites must not run as formulas there.
    return csvFile(lines).toString('utf8');
  }

  async function outboxCounts(ctx: TenantContext, connectionId: string) {
    return repo.countOutbox(ctx.db, ctx.tenantId, connectionId);
  }

  return { onMemberEdited, push, jobs, changeFile, outboxCounts };
}

export type PmsPush = ReturnType<typeof createPmsPush>;
