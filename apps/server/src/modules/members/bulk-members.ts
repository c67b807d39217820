import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { newId } from '../../core/ids.ts';
import { isPlaceholderTaiwanId } from './identity/index.ts';
import type { BulkIdentity } from './import-checks.ts';
import { insertInteractionBatch } from './interactions.repository.ts';
import * as repo from './members.repository.ts';
import type { MemberKeyColumn, MemberRow, NewMember } from './members.repository.ts';
import { formatMemberNo, memberColumns, withoutConsent } from './members.service.ts';
import type { Gender, InteractionType, PreferredLanguage } from './members.tables.ts';
import { identityHash, sealIdentity } from './personal-data.ts';

/*
 * Member rows of an import batch (later the PMS sync): matched against existing members with set-based queries, planned
 * with the same normalisation as the member form, and written a whole batch in a few statements. History entries are
 * written per member (field names only, never values).
 */

export type MatchKey = 'memberNo' | 'identity' | 'mobile' | 'email';
/** Normalised lookup values of one row: member number, identity document number, E.164 mobile, lower-cased email. */
export type BulkMemberKeys = Partial<Record<MatchKey, string>>;

/** Property ids an account may work with, or 'all'. */
export type PropertyScope = readonly string[] | 'all';

export type BulkFailure = 'member_no_unknown' | 'ambiguous' | 'out_of_scope' | 'duplicate_identity' | 'not_found';

export type BulkMatch =
  | { kind: 'none' }
  | { kind: 'member'; member: { id: string; memberNo: string; propertyId: string | null }; by: MatchKey }
  | { kind: 'error'; field: MatchKey | 'property'; reason: BulkFailure };

/** Normalised values of the fields an importer sets; absent fields are left as they are (an import never clears). */
export type BulkMemberFields = {
  propertyId?: string | undefined;
  lastName?: string | undefined;
  firstName?: string | undefined;
  /** The name as one text (a 姓名 column): when the stored name already reads the same, lastName/firstName are kept. */
  nameAsWritten?: string | undefined;
  gender?: Gender | undefined;
  birthday?: string | undefined;
  preferredLanguage?: PreferredLanguage | undefined;
  email?: string | undefined;
  mobile?: string | undefined;
  identity?: BulkIdentity | undefined;
  marketingOptIn?: boolean | undefined;
  notes?: string | undefined;
};

export type BulkMemberRow = { keys: BulkMemberKeys; fields: BulkMemberFields };

export type BulkMemberPlan =
  | { action: 'create'; fields: string[] }
  | { action: 'update' | 'unchanged'; member: { id: string; memberNo: string }; fields: string[]; patch: Partial<NewMember> }
  | { action: 'error'; field: MatchKey | 'property'; reason: BulkFailure };

/** Who wrote a batch, for the members' history: the import and its file. */
export type BulkSource = { importId: string; fileName: string };

type HistoryEntry = { memberId: string; type: InteractionType; details: Record<string, unknown> };

/** A batch's history entries in one statement, by the import as actor. */
export function writeImportHistory(ctx: TenantContext, entries: HistoryEntry[], source: BulkSource, at: Date): Promise<void> {
  return insertInteractionBatch(ctx.db, ctx.tenantId, entries, { type: 'import', ref: source.importId, label: source.fileName }, at);
}

const FIELD_ORDER = ['propertyId', 'lastName', 'firstName', 'gender', 'birthday', 'preferredLanguage', 'email', 'mobile', 'identity', 'marketingOptIn', 'notes'] as const;

function inScope(scope: PropertyScope, propertyId: string | null | undefined): boolean {
  return scope === 'all' || (propertyId !== null && propertyId !== undefined && scope.includes(propertyId));
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

function groupBy(rows: MemberRow[], key: (row: MemberRow) => string | null): Map<string, MemberRow[]> {
  const map = new Map<string, MemberRow[]>();
  for (const row of rows) {
    const value = key(row);
    if (value === null) continue;
    const list = map.get(value);
    if (list) list.push(row);
    else map.set(value, [row]);
  }
  return map;
}

/** Whether a stored name reads as the given text: 姓+名, "姓 名" or "First Last". */
function readsAs(member: Pick<MemberRow, 'lastName' | 'firstName'>, text: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const written = norm(text);
  return [member.lastName + member.firstName, `${member.lastName} ${member.firstName}`, `${member.firstName} ${member.lastName}`].some((candidate) => norm(candidate) === written);
}

export function createBulkMembers(deps: { keyring: Keyring; clock: Clock }) {
  const { keyring, clock } = deps;

  const hashOf = (number: string | undefined) => (number ? identityHash(keyring, number) : undefined);

  /** Live members whose `column` is one of `values`: one indexed query with the values as one array parameter. */
  const membersWhere = (ctx: TenantContext, column: MemberKeyColumn, values: string[]) => repo.findMembersWhereAny(ctx.db, ctx.tenantId, column, values);

  /**
   * Finds the existing live member of each row: by member number; else by identity document (blind index; placeholder
   * numbers such as A123456789 are never used as keys); else by E.164 mobile; else by email. A key that several members
   * share is an error, never a guess; an unknown member number is an error (new members are numbered by us).
   * Set-based: one query per kind of key for the whole batch, each only for the rows the previous kinds left open.
   */
  async function matchMembers(ctx: TenantContext, keys: BulkMemberKeys[], options: { scope: PropertyScope }) {
    const hashes = keys.map((k) => hashOf(k.identity));
    type Resolved = { match: BulkMatch; member: MemberRow | undefined; hash: string | undefined };
    const rows: Array<Resolved | undefined> = keys.map(() => undefined);
    const found = (member: MemberRow, by: MatchKey): Resolved => ({
      match: inScope(options.scope, member.propertyId)
        ? { kind: 'member', member: { id: member.id, memberNo: member.memberNo, propertyId: member.propertyId }, by }
        : { kind: 'error', field: by, reason: 'out_of_scope' },
      member,
      hash: undefined,
    });

    const byNo = groupBy(await membersWhere(ctx, 'memberNo', unique(keys.map((k) => k.memberNo))), (m) => m.memberNo);
    keys.forEach((k, i) => {
      if (!k.memberNo) return;
      const member = byNo.get(k.memberNo)?.[0];
      rows[i] = member ? found(member, 'memberNo') : { match: { kind: 'error', field: 'memberNo', reason: 'member_no_unknown' }, member: undefined, hash: undefined };
    });
    // Every row's document number is looked up (not only open rows): a number held by another member is a conflict.
    const byHash = groupBy(await membersWhere(ctx, 'idNumberHash', unique(hashes)), (m) => m.idNumberHash);
    const lookups: Array<[MatchKey, MemberKeyColumn, (k: BulkMemberKeys, i: number) => string | undefined, (m: MemberRow) => string | null]> = [
      ['identity', 'idNumberHash', (k, i) => (k.identity && !isPlaceholderTaiwanId(k.identity) ? hashes[i] : undefined), (m) => m.idNumberHash],
      ['mobile', 'mobile', (k) => k.mobile, (m) => m.mobile],
      ['email', 'email', (k) => k.email, (m) => m.email],
    ];
    for (const [key, column, valueOf, keyOf] of lookups) {
      const open = keys.flatMap((k, i) => (rows[i] === undefined && valueOf(k, i) ? [i] : []));
      if (open.length === 0) continue;
      const map = key === 'identity' ? byHash : groupBy(await membersWhere(ctx, column, unique(open.map((i) => valueOf(keys[i]!, i)))), keyOf);
      for (const i of open) {
        const list = map.get(valueOf(keys[i]!, i)!) ?? [];
        if (list.length > 1) rows[i] = { match: { kind: 'error', field: key, reason: 'ambiguous' }, member: undefined, hash: undefined };
        else if (list.length === 1) rows[i] = found(list[0]!, key);
      }
    }
    return {
      rows: rows.map((row, i): Resolved => ({ ...(row ?? { match: { kind: 'none' }, member: undefined }), hash: hashes[i] })),
      byHash,
    };
  }

  function diff(before: MemberRow, f: BulkMemberFields, hash: string | undefined, now: Date) {
    const patch: Partial<NewMember> = {};
    const changed = new Set<string>();
    const keepName = f.nameAsWritten !== undefined && readsAs(before, f.nameAsWritten);
    const take = <K extends keyof NewMember & keyof MemberRow>(key: K, value: NewMember[K] | undefined) => {
      if (value === undefined || value === before[key]) return;
      patch[key] = value;
      changed.add(key);
    };
    take('propertyId', f.propertyId);
    if (!keepName) {
      take('lastName', f.lastName);
      take('firstName', f.firstName);
    }
    take('gender', f.gender);
    take('birthday', f.birthday);
    take('preferredLanguage', f.preferredLanguage);
    take('email', f.email);
    take('mobile', f.mobile);
    take('notes', f.notes);
    if (f.identity) {
      const sameNumber = hash === before.idNumberHash;
      const country = f.identity.passportCountry ?? (sameNumber ? before.passportCountry : null);
      if (!sameNumber || f.identity.type !== before.idType || (f.identity.type === 'passport' && country !== before.passportCountry)) {
        Object.assign(patch, sealIdentity(keyring, { ...f.identity, passportCountry: country }));
        changed.add('identity');
      }
    }
    if (f.marketingOptIn !== undefined && f.marketingOptIn !== before.marketingOptIn) {
      Object.assign(patch, { marketingOptIn: f.marketingOptIn, optInChangedAt: now, optInSource: 'import' });
      changed.add('marketingOptIn');
    }
    return { patch, fields: FIELD_ORDER.filter((name) => changed.has(name)) as string[] };
  }

  function presentFields(f: BulkMemberFields): string[] {
    return FIELD_ORDER.filter((name) => f[name] !== undefined);
  }

  /** What importing each row would do: create, update (with the changing field names), leave unchanged, or an error. */
  async function planMembers(ctx: TenantContext, rows: BulkMemberRow[], options: { scope: PropertyScope }): Promise<BulkMemberPlan[]> {
    const now = clock.now();
    const matched = await matchMembers(ctx, rows.map((r) => r.keys), options);
    return rows.map((row, i): BulkMemberPlan => {
      const { match, member, hash } = matched.rows[i]!;
      if (match.kind === 'error') return { action: 'error', field: match.field, reason: match.reason };
      const holders = hash ? (matched.byHash.get(hash) ?? []) : [];
      if (match.kind === 'none' || !member) {
        if (holders.length > 0) return { action: 'error', field: 'identity', reason: 'duplicate_identity' };
        if (!inScope(options.scope, row.fields.propertyId)) return { action: 'error', field: 'property', reason: 'out_of_scope' };
        return { action: 'create', fields: presentFields(row.fields) };
      }
      if (holders.some((other) => other.id !== member.id)) return { action: 'error', field: 'identity', reason: 'duplicate_identity' };
      if (row.fields.propertyId !== undefined && !inScope(options.scope, row.fields.propertyId)) return { action: 'error', field: 'property', reason: 'out_of_scope' };
      const { patch, fields } = diff(member, row.fields, hash, now);
      return { action: fields.length > 0 ? 'update' : 'unchanged', member: { id: member.id, memberNo: member.memberNo }, fields, patch };
    });
  }

  /**
   * Carries out a batch's plans: new members are numbered from the counter in one reservation and inserted together,
   * changed members are updated in one statement, and each created or updated member gets one 'imported' history entry
   * (plus opted_in/opted_out when consent changed). `alsoChanged` names changes made elsewhere (e.g. tags) for the history.
   * Returns the member of each row (null for errors).
   */
  async function applyMembers(
    ctx: TenantContext,
    items: Array<{ fields: BulkMemberFields; plan: BulkMemberPlan; alsoChanged?: string[] | undefined }>,
    source: BulkSource,
  ): Promise<Array<{ id: string; memberNo: string } | null>> {
    const now = clock.now();
    const results: Array<{ id: string; memberNo: string } | null> = items.map(() => null);
    const history: HistoryEntry[] = [];

    const creates = items.flatMap((item, index) => (item.plan.action === 'create' ? [{ item, index, fields: item.plan.fields }] : []));
    if (creates.length > 0) {
      const first = await repo.reserveCounter(ctx.db, ctx.tenantId, 'member_no', creates.length);
      const rows = creates.map(({ item }, j) => ({ ...memberColumns(keyring, { ...item.fields, optInSource: 'import' }, now), id: newId(), memberNo: formatMemberNo(first + j) }));
      await repo.insertMemberBatch(ctx.db, ctx.tenantId, rows, now);
      creates.forEach(({ item, index, fields }, j) => {
        const row = rows[j]!;
        results[index] = { id: row.id, memberNo: row.memberNo };
        history.push({ memberId: row.id, type: 'imported', details: { importId: source.importId, action: 'created', fields: [...fields, ...(item.alsoChanged ?? [])] } });
      });
    }

    const updates: Array<{ id: string; patch: Partial<NewMember> }> = [];
    items.forEach((item, index) => {
      const { plan } = item;
      if (plan.action !== 'update' && plan.action !== 'unchanged') return;
      results[index] = plan.member;
      // A consent change has its own entry (the import as its source): the import's entry names the other fields.
      const consent = plan.patch.marketingOptIn !== undefined;
      const fields = withoutConsent([...plan.fields, ...(item.alsoChanged ?? [])], consent);
      if (plan.fields.length > 0) updates.push({ id: plan.member.id, patch: plan.patch });
      if (fields.length > 0) history.push({ memberId: plan.member.id, type: 'imported', details: { importId: source.importId, action: 'updated', fields } });
      if (consent) {
        history.push({ memberId: plan.member.id, type: plan.patch.marketingOptIn ? 'opted_in' : 'opted_out', details: { source: 'import', importId: source.importId } });
      }
    });
    await repo.updateMemberBatch(ctx.db, ctx.tenantId, updates, 'import', now);
    await writeImportHistory(ctx, history, source, now);
    return results;
  }

  return { matchMembers, planMembers, applyMembers };
}
