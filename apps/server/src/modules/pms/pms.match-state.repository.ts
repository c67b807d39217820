import { sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows, type Tx } from '../../core/db/database.ts';
import type { TenantId } from '../../core/ids.ts';
import type { DecisionTally } from './pms.decision-tally.ts';

/**
 * The state incremental matching keeps (migration 0038): each member's last decision, the profile changes since the
 * last match, and the rules that match used. Read and written by pms.match-pass.ts in the match's transaction.
 */

export type MemberMatchRow = { member_id: string; input_hash: string; claim: string | null; held: string[]; fingerprint: string | null; tally: DecisionTally };

export async function findRules(tx: Tx, tenantId: TenantId, connectionId: string): Promise<string | null> {
  const [row] = await queryRows<{ rules: string }>(tx, sql`select rules from pms_match_state where tenant_id = ${tenantId} and connection_id = ${connectionId}`);
  return row?.rules ?? null;
}

export async function saveRules(tx: Tx, tenantId: TenantId, connectionId: string, rules: string): Promise<void> {
  await tx.execute(sql`insert into pms_match_state (tenant_id, connection_id, rules) values (${tenantId}, ${connectionId}, ${rules})
                       on conflict (tenant_id, connection_id) do update set rules = excluded.rules`);
}

/**
 * Notes what a page of profile writes changes for matching, before the writes: each profile's code, its keys and merge
 * target as held now, and (`after`) its keys and merge target as written. Nothing for a connection never matched: its
 * first match decides every member anyway (and a first load writes no second copy of every key).
 */
export async function markProfilesDirty(tx: Tx, tenantId: TenantId, connectionId: string, codes: readonly string[], after: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  await tx.execute(sql`
    insert into pms_match_dirty (tenant_id, connection_id, item)
    select ${tenantId}, ${connectionId}, x.item from (
      select 'K:' || k.key as item from pms_profile_keys k
       where k.tenant_id = ${tenantId} and k.connection_id = ${connectionId} and k.gcust_cod = any(${textArray(codes)})
      union select 'C:' || p.merged_into from pms_profiles p
       where p.tenant_id = ${tenantId} and p.connection_id = ${connectionId} and p.gcust_cod = any(${textArray(codes)}) and p.merged_into is not null
      union select 'C:' || c from unnest(${textArray(codes)}) as c
      union select i from unnest(${textArray(after)}) as i
    ) x
    where exists (select 1 from pms_match_state s where s.tenant_id = ${tenantId} and s.connection_id = ${connectionId})
    on conflict do nothing`);
}

/** The changes noted since the last match: keys (`T:`/`P:`/`M:`…) and profile codes. */
export async function findDirty(tx: Tx, tenantId: TenantId, connectionId: string): Promise<{ items: string[]; keys: string[]; codes: string[] }> {
  const rows = await queryRows<{ item: string }>(tx, sql`select item from pms_match_dirty where tenant_id = ${tenantId} and connection_id = ${connectionId}`);
  const items = rows.map((r) => r.item);
  return { items, keys: items.filter((i) => i.startsWith('K:')).map((i) => i.slice(2)), codes: items.filter((i) => i.startsWith('C:')).map((i) => i.slice(2)) };
}

/** Forgets the changes a match read (only those: a write noted since is for the next match). */
export async function clearDirty(tx: Tx, tenantId: TenantId, connectionId: string, items: readonly string[]): Promise<void> {
  if (items.length === 0) return;
  await tx.execute(sql`delete from pms_match_dirty where tenant_id = ${tenantId} and connection_id = ${connectionId} and item = any(${textArray(items)})`);
}

export async function findMemberMatches(tx: Tx, tenantId: TenantId, connectionId: string): Promise<Map<string, MemberMatchRow>> {
  const rows = await queryRows<MemberMatchRow>(
    tx,
    sql`select member_id, input_hash, claim, held, fingerprint, tally from pms_member_matches where tenant_id = ${tenantId} and connection_id = ${connectionId}`,
  );
  return new Map(rows.map((r) => [r.member_id, r]));
}

/** Every tally, for the report (one small row per member with a usable key). */
export async function findTallies(tx: Tx, tenantId: TenantId, connectionId: string): Promise<DecisionTally[]> {
  const rows = await queryRows<{ tally: DecisionTally }>(tx, sql`select tally from pms_member_matches where tenant_id = ${tenantId} and connection_id = ${connectionId}`);
  return rows.map((r) => r.tally);
}

export async function saveMemberMatches(tx: Tx, tenantId: TenantId, connectionId: string, rows: readonly MemberMatchRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const batch = rows.slice(i, i + 2000);
    await tx.execute(sql`
      insert into pms_member_matches (tenant_id, connection_id, member_id, input_hash, claim, held, fingerprint, tally)
      select ${tenantId}, ${connectionId}, r.member_id, r.input_hash, r.claim, array(select jsonb_array_elements_text(r.held)), r.fingerprint, r.tally
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as r(member_id uuid, input_hash text, claim text, held jsonb, fingerprint text, tally jsonb)
      on conflict (tenant_id, connection_id, member_id) do update set
        input_hash = excluded.input_hash, claim = excluded.claim, held = excluded.held, fingerprint = excluded.fingerprint, tally = excluded.tally`);
  }
}

export async function deleteMemberMatches(tx: Tx, tenantId: TenantId, connectionId: string, memberIds: readonly string[]): Promise<void> {
  if (memberIds.length === 0) return;
  await tx.execute(sql`delete from pms_member_matches where tenant_id = ${tenantId} and connection_id = ${connectionId} and member_id = any(${uuidArray(memberIds)})`);
}

/** The profiles each member holds on this connection now, codes sorted (members holding none are absent). */
export async function findLinks(tx: Tx, tenantId: TenantId, connectionId: string, memberIds?: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await queryRows<{ member_id: string; gcust_cod: string }>(
    tx,
    memberIds
      ? sql`select member_id, gcust_cod from pms_profiles where tenant_id = ${tenantId} and member_id = any(${uuidArray(memberIds)}) and connection_id = ${connectionId} order by gcust_cod`
      : sql`select member_id, gcust_cod from pms_profiles where tenant_id = ${tenantId} and connection_id = ${connectionId} and member_id is not null order by gcust_cod`,
  );
  const held = new Map<string, string[]>();
  for (const r of rows) {
    const list = held.get(r.member_id);
    if (list) list.push(r.gcust_cod);
    else held.set(r.member_id, [r.gcust_cod]);
  }
  return held;
}
