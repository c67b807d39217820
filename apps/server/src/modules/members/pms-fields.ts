import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import { maskEmail, maskMobile } from './identity/index.ts';
import { insertInteractionBatch } from './interactions.repository.ts';
import * as repo from './members.repository.ts';
import type { NewMember } from './members.repository.ts';

/**
 * What a PMS profile linked to a member newly says (the sync hands over only values that changed in the PMS since they
 * were last put on this member, or every value at link time). `updDat` is the profile's UPD_DAT, Taipei local time.
 */
export type PmsFieldChange = {
  memberId: string;
  connectionId: string;
  gcustCod: string;
  updDat: string;
  /** DM_FLAG became N. A DM_FLAG=Y is never handed over: it is 德安's default, not the guest's consent. */
  optOut: boolean;
  email: string | null;
  /** E.164. */
  mobile: string | null;
};

export type PmsFieldOutcome = {
  memberId: string;
  gcustCod: string;
  field: 'marketingOptIn' | 'email' | 'mobile';
  /** opted_out / filled (the member had none) / taken_from_pms (the PMS's change is later) / kept_crm (the CRM's is). */
  outcome: 'opted_out' | 'filled' | 'taken_from_pms' | 'kept_crm';
  /**
   * A conflict's two sides (taken_from_pms, kept_crm), masked as staff see them (the PMS page lists conflicts): the
   * values (an opt-in conflict's as `opt_out` / `opt_in`) and when each side changed (the PMS's UPD_DAT, the member's
   * last change).
   */
  conflict?: { pmsValue: string | null; crmValue: string | null; pmsChangedAt: Date; crmChangedAt: Date | null };
};

function masked(field: 'email' | 'mobile', value: string | null): string | null {
  if (!value) return null;
  return field === 'email' ? maskEmail(value) : maskMobile(value);
}

/** UPD_DAT (`YYYY-MM-DD HH:mm:ss`, Asia/Taipei) as an instant. */
export function pmsTime(updDat: string): Date {
  return new Date(`${updDat.replace(' ', 'T')}+08:00`);
}

/**
 * The PMS → member direction of the field rules (decision 0010 "Field sync"; pms.push.ts is the other direction):
 *  - a marketing opt-out wins: the member is opted out (consent change, source 'pms', the profile and UPD_DAT as
 *    evidence) unless the member's opt-in was recorded after the PMS's UPD_DAT — then the PMS's opt-out cannot be the
 *    later word (UPD_DAT is the latest it can have been made), the guest's opt-in stands and the conflict is recorded;
 *  - nothing from the PMS ever opts a member in;
 *  - mobile and e-mail: a blank is filled; a different value is a conflict, recorded either way: the later change wins
 *    — the PMS's when its UPD_DAT is after the member's last change, else the member's (what a guest typed in the LIFF
 *    binding or staff entered since is kept).
 * Writes bypass the members' edit hooks: a value that came from the PMS is not pushed back to it.
 */
export function createPmsFields(deps: { clock: Clock }) {
  async function applyPmsFields(ctx: TenantContext, changes: readonly PmsFieldChange[], source: { runId: string; label: string }): Promise<PmsFieldOutcome[]> {
    if (changes.length === 0) return [];
    const now = deps.clock.now();
    const members = new Map((await repo.findMembersByIds(ctx.db, ctx.tenantId, [...new Set(changes.map((c) => c.memberId))])).map((m) => [m.id, { ...m }]));
    const outcomes: PmsFieldOutcome[] = [];
    const contactPatches = new Map<string, Partial<NewMember>>();
    const optOuts: Array<{ id: string; patch: Partial<NewMember> }> = [];
    const history: Array<{ memberId: string; type: 'edited' | 'opted_out'; details: Record<string, unknown> }> = [];
    for (const change of changes) {
      const member = members.get(change.memberId);
      if (!member) continue;
      const at = pmsTime(change.updDat);
      const evidence = { source: 'pms', connectionId: change.connectionId, gcustCod: change.gcustCod, updDat: change.updDat };
      if (change.optOut && member.marketingOptIn) {
        if (member.optInChangedAt && member.optInChangedAt > at) {
          outcomes.push({
            memberId: member.id,
            gcustCod: change.gcustCod,
            field: 'marketingOptIn',
            outcome: 'kept_crm',
            conflict: { pmsValue: 'opt_out', crmValue: 'opt_in', pmsChangedAt: at, crmChangedAt: member.optInChangedAt },
          });
        } else {
          member.marketingOptIn = false;
          optOuts.push({ id: member.id, patch: { marketingOptIn: false } });
          history.push({ memberId: member.id, type: 'opted_out', details: evidence });
          outcomes.push({ memberId: member.id, gcustCod: change.gcustCod, field: 'marketingOptIn', outcome: 'opted_out' });
        }
      }
      const fields: Array<'email' | 'mobile'> = [];
      const conflicts: Array<{ field: string; kept: 'pms' | 'crm' }> = [];
      for (const field of ['email', 'mobile'] as const) {
        const value = change[field];
        const held = member[field];
        if (!value || held === value || (field === 'email' && held?.toLowerCase() === value.toLowerCase())) continue;
        let outcome: PmsFieldOutcome['outcome'] = 'filled';
        if (held) {
          // Members keep no time per field: their last change of any kind stands for it, which errs towards the CRM.
          outcome = member.updatedAt > at ? 'kept_crm' : 'taken_from_pms';
          conflicts.push({ field, kept: outcome === 'kept_crm' ? 'crm' : 'pms' });
        }
        outcomes.push({
          memberId: member.id,
          gcustCod: change.gcustCod,
          field,
          outcome,
          ...(held ? { conflict: { pmsValue: masked(field, value), crmValue: masked(field, held), pmsChangedAt: at, crmChangedAt: member.updatedAt } } : {}),
        });
        if (outcome === 'kept_crm') continue;
        member[field] = value;
        contactPatches.set(member.id, { ...contactPatches.get(member.id), [field]: value });
        fields.push(field);
      }
      if (fields.length > 0 || conflicts.length > 0) history.push({ memberId: member.id, type: 'edited', details: { ...evidence, fields, conflicts } });
    }
    await repo.updateMemberBatch(ctx.db, ctx.tenantId, [...contactPatches].map(([id, patch]) => ({ id, patch })), 'pms', now);
    await repo.updateMemberBatch(ctx.db, ctx.tenantId, optOuts, 'pms', now);
    await insertInteractionBatch(ctx.db, ctx.tenantId, history, { type: 'pms', ref: source.runId, label: source.label }, now);
    return outcomes;
  }

  return { applyPmsFields };
}
