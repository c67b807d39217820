import { sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import type { ReviewCandidate } from './pms.tables.ts';

/**
 * The matching pass's queries (pms.match-pass.ts): profiles are found by their keys (migration 0029's
 * pms_profile_keys) a batch of members at a time, never all read into memory.
 */

export type ProfileAround = { gcust_cod: string; profile: Record<string, unknown>; merged_into: string | null };

/**
 * Mobiles on more than `limit` distinct family names among live profiles (a profile with no name counts as its own):
 * agencies, OTAs, switchboards. The same count as `detectHubNumbers`, done by the database.
 */
export async function findHubNumbers(tx: Tx, tenantId: TenantId, connectionId: string, limit: number): Promise<Set<string>> {
  const rows = await queryRows<{ e164: string }>(
    tx,
    sql`select substr(k.key, 3) as e164 from pms_profile_keys k
        join pms_profiles p on p.tenant_id = k.tenant_id and p.connection_id = k.connection_id and p.gcust_cod = k.gcust_cod
        where k.tenant_id = ${tenantId} and k.connection_id = ${connectionId} and k.key like 'M:%' and not p.deleted
        group by k.key having count(distinct case when coalesce(p.surname, '') = '' then '?' || p.gcust_cod else p.surname end) > ${limit}`,
  );
  return new Set(rows.map((r) => r.e164));
}

/** Live profiles holding one of `keys`, named in `codes`, or merged into one of `codes`. */
export async function findProfilesAround(tx: Tx, tenantId: TenantId, connectionId: string, keys: readonly string[], codes: readonly string[]): Promise<ProfileAround[]> {
  const holders =
    keys.length === 0
      ? []
      : await queryRows<{ gcust_cod: string }>(tx, sql`select distinct gcust_cod from pms_profile_keys where tenant_id = ${tenantId} and connection_id = ${connectionId} and key = any(${textArray(keys)})`);
  const named = [...new Set([...codes, ...holders.map((h) => h.gcust_cod)])];
  const rows: ProfileAround[] = [];
  if (named.length > 0) {
    rows.push(
      ...(await queryRows<ProfileAround>(
        tx,
        sql`select gcust_cod, profile, merged_into from pms_profiles where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(named)}) and not deleted`,
      )),
    );
  }
  if (codes.length > 0) {
    rows.push(
      ...(await queryRows<ProfileAround>(
        tx,
        sql`select gcust_cod, profile, merged_into from pms_profiles where tenant_id = ${tenantId} and connection_id = ${connectionId} and merged_into = any(${textArray(codes)}) and not deleted`,
      )),
    );
  }
  return rows;
}

/** Profiles stored before migration 0029 (no surname and no keys yet), a page at a time. */
export function findProfilesWithoutKeys(tx: Tx, tenantId: TenantId, connectionId: string, limit: number): Promise<Array<{ gcust_cod: string; profile: Record<string, unknown>; deleted: boolean }>> {
  return queryRows(
    tx,
    sql`select gcust_cod, profile, deleted from pms_profiles
        where tenant_id = ${tenantId} and connection_id = ${connectionId} and surname is null order by gcust_cod limit ${limit}`,
  );
}

export async function setProfileSurnames(tx: Tx, tenantId: TenantId, connectionId: string, rows: ReadonlyArray<{ gcustCod: string; surname: string }>): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    update pms_profiles p set surname = r.surname
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ gcust_cod: r.gcustCod, surname: r.surname })))}::jsonb) as r(gcust_cod text, surname text)
    where p.tenant_id = ${tenantId} and p.connection_id = ${connectionId} and p.gcust_cod = r.gcust_cod`);
}

/** The links that concern a batch: profiles these members hold, and who holds these profiles. */
export async function findLinksAround(tx: Tx, tenantId: TenantId, connectionId: string, memberIds: readonly string[], codes: readonly string[]): Promise<Array<{ gcust_cod: string; member_id: string }>> {
  // Two lookups rather than one OR, so that each is an index condition whatever the statistics say.
  const held = await queryRows<{ gcust_cod: string; member_id: string }>(
    tx,
    sql`select gcust_cod, member_id from pms_profiles where tenant_id = ${tenantId} and member_id = any(${uuidArray(memberIds)}) and connection_id = ${connectionId}`,
  );
  const named = codes.length === 0 ? [] : await queryRows<{ gcust_cod: string; member_id: string }>(
    tx,
    sql`select gcust_cod, member_id from pms_profiles where tenant_id = ${tenantId} and connection_id = ${connectionId} and gcust_cod = any(${textArray(codes)}) and member_id is not null`,
  );
  const seen = new Set(held.map((h) => h.gcust_cod));
  return [...held, ...named.filter((n) => !seen.has(n.gcust_cod))];
}

/**
 * Links a batch in one statement, each profile only if nobody holds it (or this member already does, by another tier
 * or source): never takes a profile from another member. Returns what this call linked.
 */
export function linkProfilesBatch(
  tx: Tx,
  tenantId: TenantId,
  connectionId: string,
  links: ReadonlyArray<{ memberId: string; gcustCod: string; tier: string }>,
  source: 'auto' | 'staff',
  at: Date,
): Promise<Array<{ gcust_cod: string; member_id: string }>> {
  if (links.length === 0) return Promise.resolve([]);
  return queryRows(
    tx,
    sql`update pms_profiles p set member_id = l.member_id, link_tier = l.tier, link_source = ${source}, linked_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(links.map((l) => ({ member_id: l.memberId, gcust_cod: l.gcustCod, tier: l.tier })))}::jsonb) as l(member_id uuid, gcust_cod text, tier text)
        where p.tenant_id = ${tenantId} and p.connection_id = ${connectionId} and p.gcust_cod = l.gcust_cod and not p.deleted
          and (p.member_id is null or (p.member_id = l.member_id and (p.link_source is distinct from ${source} or p.link_tier is distinct from l.tier)))
        returning p.gcust_cod, p.member_id`,
  );
}

export type CaseWrite = { id: string; memberId: string; candidates: ReviewCandidate[]; reasons: string[]; fingerprint: string };

/** Opens cases, or refreshes each member's open case (one open case per member and connection), in one statement. */
export async function upsertOpenCases(tx: Tx, tenantId: TenantId, connectionId: string, rows: readonly CaseWrite[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({ id: r.id, member_id: r.memberId, candidates: r.candidates, reasons: r.reasons, fingerprint: r.fingerprint }));
  await tx.execute(sql`
    insert into pms_review_cases (tenant_id, id, connection_id, member_id, candidates, reasons, fingerprint, status, created_at, updated_at)
    select ${tenantId}, r.id, ${connectionId}, r.member_id, r.candidates, array(select jsonb_array_elements_text(r.reasons)), r.fingerprint, 'open',
           ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(id uuid, member_id uuid, candidates jsonb, reasons jsonb, fingerprint text)
    on conflict (tenant_id, connection_id, member_id) where status = 'open' do update set
      candidates = excluded.candidates, reasons = excluded.reasons, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at
    where pms_review_cases.fingerprint <> excluded.fingerprint or pms_review_cases.reasons <> excluded.reasons`);
}
