import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { textArray, uuidArray } from '../../core/db/arrays.ts';
import { queryRows } from '../../core/db/database.ts';
import { newId } from '../../core/ids.ts';
import {
  EMAIL_MESSAGE_KEYS,
  identityDocumentMessageKey,
  isPlaceholderTaiwanId,
  maskEmail,
  maskIdentityNumber,
  maskMobile,
  MOBILE_MESSAGE_KEYS,
  normaliseMobile,
  parseEmail,
  parseIdentityDocument,
} from './identity/index.ts';
import * as repo from './members.repository.ts';
import type { MemberRow, NewMember } from './members.repository.ts';
import { formatMemberNo } from './members.service.ts';
import { members } from './members.tables.ts';
import type { Gender, IdentityType, InteractionType, LineStatus, PreferredLanguage, StayStatus } from './members.tables.ts';
import { identityHash, sealIdentity } from './personal-data.ts';

/*
 * Bulk writes for importers (member and stay files; later the PMS sync): the same validation and normalisation as the
 * member form, matching against existing members with set-based queries, and inserts/updates of a whole batch in a few
 * statements. History entries are written per member (field names only, never values).
 */

export type { Gender, IdentityType, LineStatus, PreferredLanguage, StayStatus };

// Field checks: what the form's zod schemas do, for one text value. `message` is a `field.*` key (MEMBER_FIELD_MESSAGES
// or the core FIELD_MESSAGES).

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string; onCountry?: boolean };

export type BulkIdentity = { type: IdentityType; number: string; passportCountry: string | null };

/** A Taiwan national ID / resident certificate (by checksum) or a passport (by shape), detected from the number itself. */
export function checkIdentityNumber(input: string, passportCountry?: string): FieldCheck<BulkIdentity> {
  const result = parseIdentityDocument(input, undefined, passportCountry ? { issuingCountry: passportCountry } : {});
  if (!result.ok) return { ok: false, message: identityDocumentMessageKey(result.reason), ...(result.reason === 'country' ? { onCountry: true } : {}) };
  return { ok: true, value: { type: result.kind, number: result.value, passportCountry: result.kind === 'passport' ? (result.issuingCountry ?? null) : null } };
}

/** A phone number (full-width digits, spaces, dashes, +886, 00886 …) as E.164. */
export function checkMobile(input: string): FieldCheck<string> {
  const result = normaliseMobile(input);
  return result.ok ? { ok: true, value: result.e164 } : { ok: false, message: MOBILE_MESSAGE_KEYS[result.reason] };
}

/** An email address, trimmed and lower-cased. */
export function checkEmail(input: string): FieldCheck<string> {
  const result = parseEmail(input);
  return result.ok ? { ok: true, value: result.value } : { ok: false, message: EMAIL_MESSAGE_KEYS[result.reason] };
}

/** Masks a raw value of a personal-data field for display in reports, whether or not it is valid. */
export function maskPersonalValue(kind: 'email' | 'mobile' | 'identity' | 'birthday', value: string): string {
  const text = value.trim();
  if (text === '') return '';
  if (kind === 'email') return maskEmail(text);
  if (kind === 'identity') return maskIdentityNumber(text);
  if (kind === 'birthday') return text.replace(/[0-9０-９]/g, '*');
  const valid = normaliseMobile(text);
  return valid.ok ? maskMobile(valid.e164) : text.replace(/[0-9０-９](?=(?:\D*[0-9０-９]){3})/g, '*');
}

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

export type BulkSource = { importId: string; fileName: string };

type HistoryEntry = { memberId: string; type: InteractionType; details: Record<string, unknown> };

export type BulkStayRow = {
  memberId: string;
  propertyId: string;
  externalId: string;
  checkIn?: string | undefined;
  checkOut?: string | undefined;
  roomType?: string | undefined;
  rateCode?: string | undefined;
  channel?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  status?: StayStatus | undefined;
};

type MergedStay = Required<Omit<BulkStayRow, 'amount'>> & { amount: number | null; id: string };

export type BulkStayPlan =
  | { action: 'create' | 'update' | 'unchanged'; stay: MergedStay; fields: string[] }
  | { action: 'error'; field: 'checkIn' | 'checkOut'; reason: 'dates_missing' | 'dates_reversed' };

export type MemberExportRow = {
  id: string;
  memberNo: string;
  propertyId: string | null;
  lastName: string;
  firstName: string;
  gender: Gender;
  birthday: string | null;
  preferredLanguage: PreferredLanguage;
  email: string | null;
  mobile: string | null;
  identityType: IdentityType | null;
  identityNumber: string | null;
  passportCountry: string | null;
  marketingOptIn: boolean;
  optInChangedAt: Date | null;
  optInSource: string;
  notes: string;
  lineStatus: LineStatus;
  lineDisplayName: string | null;
  joinedAt: Date;
  lastInteractionAt: Date | null;
};

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

export function createMembersBulk(deps: { keyring: Keyring; clock: Clock }) {
  const { keyring, clock } = deps;

  const hashOf = (number: string | undefined) => (number ? identityHash(keyring, number) : undefined);

  /** Live members whose `column` is one of `values`: one indexed query with the values as one array parameter. */
  async function membersWhere(ctx: TenantContext, column: SQL, values: string[]): Promise<MemberRow[]> {
    if (values.length === 0) return [];
    return ctx.db
      .select()
      .from(members)
      .where(and(eq(members.tenantId, ctx.tenantId), isNull(members.deletedAt), sql`${column} = any(${textArray(values)})`));
  }

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

    const byNo = groupBy(await membersWhere(ctx, sql`${members.memberNo}`, unique(keys.map((k) => k.memberNo))), (m) => m.memberNo);
    keys.forEach((k, i) => {
      if (!k.memberNo) return;
      const member = byNo.get(k.memberNo)?.[0];
      rows[i] = member ? found(member, 'memberNo') : { match: { kind: 'error', field: 'memberNo', reason: 'member_no_unknown' }, member: undefined, hash: undefined };
    });
    // Every row's document number is looked up (not only open rows): a number held by another member is a conflict.
    const byHash = groupBy(await membersWhere(ctx, sql`${members.idNumberHash}`, unique(hashes)), (m) => m.idNumberHash);
    const lookups: Array<[MatchKey, SQL, (k: BulkMemberKeys, i: number) => string | undefined, (m: MemberRow) => string | null]> = [
      ['identity', sql`${members.idNumberHash}`, (k, i) => (k.identity && !isPlaceholderTaiwanId(k.identity) ? hashes[i] : undefined), (m) => m.idNumberHash],
      ['mobile', sql`${members.mobile}`, (k) => k.mobile, (m) => m.mobile],
      ['email', sql`${members.email}`, (k) => k.email, (m) => m.email],
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

  /** History entries of one batch in one statement (a JSON record set: one parameter however many rows). */
  async function insertHistory(ctx: TenantContext, entries: HistoryEntry[], source: BulkSource, at: Date): Promise<void> {
    if (entries.length === 0) return;
    const records = entries.map((e) => ({ id: newId(), member_id: e.memberId, type: e.type, details: e.details }));
    await ctx.db.execute(sql`
      insert into member_interactions (tenant_id, id, member_id, occurred_at, type, actor_type, actor_ref, actor_label, details)
      select ${ctx.tenantId}, r.id, r.member_id, ${at.toISOString()}::timestamptz, r.type, 'import', ${source.importId}, ${source.fileName}, r.details
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(id uuid, member_id uuid, type text, details jsonb)`);
  }

  /** New members of one batch in one statement; columns a row does not set get the table's defaults. */
  async function insertNew(ctx: TenantContext, rows: Array<Partial<NewMember> & { id: string; memberNo: string }>, at: Date): Promise<void> {
    if (rows.length === 0) return;
    const records = rows.map((m) => ({
      id: m.id,
      member_no: m.memberNo,
      property_id: m.propertyId ?? null,
      last_name: m.lastName ?? null,
      first_name: m.firstName ?? null,
      gender: m.gender ?? null,
      birthday: m.birthday ?? null,
      preferred_language: m.preferredLanguage ?? null,
      email: m.email ?? null,
      mobile: m.mobile ?? null,
      id_type: m.idType ?? null,
      id_number_encrypted: m.idNumberEncrypted ?? null,
      id_number_hash: m.idNumberHash ?? null,
      id_number_masked: m.idNumberMasked ?? null,
      passport_country: m.passportCountry ?? null,
      marketing_opt_in: m.marketingOptIn ?? null,
      opt_in_changed_at: m.optInChangedAt ? m.optInChangedAt.toISOString() : null,
      opt_in_source: m.optInSource ?? null,
      notes: m.notes ?? null,
    }));
    const now = at.toISOString();
    await ctx.db.execute(sql`
      insert into members (tenant_id, id, member_no, property_id, last_name, first_name, gender, birthday, preferred_language, email, mobile,
                           id_type, id_number_encrypted, id_number_hash, id_number_masked, passport_country, marketing_opt_in, opt_in_changed_at,
                           opt_in_source, notes, joined_at, created_at, updated_at)
      select ${ctx.tenantId}, r.id, r.member_no, r.property_id, coalesce(r.last_name, ''), coalesce(r.first_name, ''), coalesce(r.gender, 'unknown'),
             r.birthday, coalesce(r.preferred_language, 'zh-TW'), r.email, r.mobile, r.id_type, r.id_number_encrypted, r.id_number_hash,
             r.id_number_masked, r.passport_country, coalesce(r.marketing_opt_in, false), r.opt_in_changed_at, coalesce(r.opt_in_source, ''),
             coalesce(r.notes, ''), ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
        id uuid, member_no text, property_id uuid, last_name text, first_name text, gender text, birthday date, preferred_language text,
        email text, mobile text, id_type text, id_number_encrypted text, id_number_hash text, id_number_masked text, passport_country text,
        marketing_opt_in boolean, opt_in_changed_at timestamptz, opt_in_source text, notes text)`);
  }

  function columnsOf(f: BulkMemberFields, now: Date): Partial<NewMember> {
    const columns: Partial<NewMember> = {};
    if (f.propertyId !== undefined) columns.propertyId = f.propertyId;
    if (f.lastName !== undefined) columns.lastName = f.lastName;
    if (f.firstName !== undefined) columns.firstName = f.firstName;
    if (f.gender !== undefined) columns.gender = f.gender;
    if (f.birthday !== undefined) columns.birthday = f.birthday;
    if (f.preferredLanguage !== undefined) columns.preferredLanguage = f.preferredLanguage;
    if (f.email !== undefined) columns.email = f.email;
    if (f.mobile !== undefined) columns.mobile = f.mobile;
    if (f.notes !== undefined) columns.notes = f.notes;
    if (f.identity) Object.assign(columns, sealIdentity(keyring, f.identity));
    if (f.marketingOptIn !== undefined) Object.assign(columns, { marketingOptIn: f.marketingOptIn, optInChangedAt: now, optInSource: 'import' });
    return columns;
  }

  /** One UPDATE for the whole batch: each member gets only its changed columns (NULL in the record keeps the column). */
  async function updateChanged(ctx: TenantContext, updates: Array<{ id: string; patch: Partial<NewMember> }>, now: Date): Promise<void> {
    if (updates.length === 0) return;
    const records = updates.map(({ id, patch }) => ({
      id,
      property_id: patch.propertyId ?? null,
      last_name: patch.lastName ?? null,
      first_name: patch.firstName ?? null,
      gender: patch.gender ?? null,
      birthday: patch.birthday ?? null,
      preferred_language: patch.preferredLanguage ?? null,
      email: patch.email ?? null,
      mobile: patch.mobile ?? null,
      notes: patch.notes ?? null,
      set_identity: patch.idNumberHash !== undefined,
      id_type: patch.idType ?? null,
      id_number_encrypted: patch.idNumberEncrypted ?? null,
      id_number_hash: patch.idNumberHash ?? null,
      id_number_masked: patch.idNumberMasked ?? null,
      passport_country: patch.passportCountry ?? null,
      marketing_opt_in: patch.marketingOptIn ?? null,
    }));
    const at = now.toISOString();
    await ctx.db.execute(sql`
      update members m set
        property_id = coalesce(r.property_id, m.property_id),
        last_name = coalesce(r.last_name, m.last_name),
        first_name = coalesce(r.first_name, m.first_name),
        gender = coalesce(r.gender, m.gender),
        birthday = coalesce(r.birthday, m.birthday),
        preferred_language = coalesce(r.preferred_language, m.preferred_language),
        email = coalesce(r.email, m.email),
        mobile = coalesce(r.mobile, m.mobile),
        notes = coalesce(r.notes, m.notes),
        id_type = case when r.set_identity then r.id_type else m.id_type end,
        id_number_encrypted = case when r.set_identity then r.id_number_encrypted else m.id_number_encrypted end,
        id_number_hash = case when r.set_identity then r.id_number_hash else m.id_number_hash end,
        id_number_masked = case when r.set_identity then r.id_number_masked else m.id_number_masked end,
        passport_country = case when r.set_identity then r.passport_country else m.passport_country end,
        marketing_opt_in = coalesce(r.marketing_opt_in, m.marketing_opt_in),
        opt_in_changed_at = case when r.marketing_opt_in is null then m.opt_in_changed_at else ${at}::timestamptz end,
        opt_in_source = case when r.marketing_opt_in is null then m.opt_in_source else 'import' end,
        updated_at = ${at}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
        id uuid, property_id uuid, last_name text, first_name text, gender text, birthday date, preferred_language text,
        email text, mobile text, notes text, set_identity boolean, id_type text, id_number_encrypted text, id_number_hash text,
        id_number_masked text, passport_country text, marketing_opt_in boolean)
      where m.tenant_id = ${ctx.tenantId} and m.id = r.id`);
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
      const rows = creates.map(({ item }, j) => ({ ...columnsOf(item.fields, now), id: newId(), memberNo: formatMemberNo(first + j) }));
      await insertNew(ctx, rows, now);
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
      const fields = [...plan.fields, ...(item.alsoChanged ?? [])];
      if (plan.fields.length > 0) updates.push({ id: plan.member.id, patch: plan.patch });
      if (fields.length > 0) history.push({ memberId: plan.member.id, type: 'imported', details: { importId: source.importId, action: 'updated', fields } });
      if (plan.patch.marketingOptIn !== undefined) {
        history.push({ memberId: plan.member.id, type: plan.patch.marketingOptIn ? 'opted_in' : 'opted_out', details: { source: 'import', importId: source.importId } });
      }
    });
    await updateChanged(ctx, updates, now);
    await insertHistory(ctx, history, source, now);
    return results;
  }

  // Stays

  /** What importing each stay would do. Stays are identified by property + reservation number (external id). */
  async function planStays(ctx: TenantContext, rows: BulkStayRow[]): Promise<BulkStayPlan[]> {
    const existing =
      rows.length === 0
        ? []
        : await queryRows<{ id: string; member_id: string; property_id: string; external_id: string; check_in: string | Date; check_out: string | Date; room_type: string; rate_code: string; channel: string; amount: string | number | null; currency: string; status: StayStatus }>(
            ctx.db,
            sql`select s.id, s.member_id, s.property_id, s.external_id, s.check_in::text as check_in, s.check_out::text as check_out, s.room_type, s.rate_code,
                       s.channel, s.amount, s.currency, s.status
                from member_stays s
                join unnest(${uuidArray(rows.map((r) => r.propertyId))}, ${textArray(rows.map((r) => r.externalId))}) as k(property_id, external_id)
                  on s.property_id = k.property_id and s.external_id = k.external_id
                where s.tenant_id = ${ctx.tenantId}`,
          );
    const byKey = new Map(existing.map((s) => [`${s.property_id}\u0000${s.external_id}`, s]));
    return rows.map((row): BulkStayPlan => {
      const before = byKey.get(`${row.propertyId}\u0000${row.externalId}`);
      const stay: MergedStay = {
        id: before?.id ?? newId(),
        memberId: row.memberId,
        propertyId: row.propertyId,
        externalId: row.externalId,
        checkIn: row.checkIn ?? (before ? String(before.check_in) : ''),
        checkOut: row.checkOut ?? (before ? String(before.check_out) : ''),
        roomType: row.roomType ?? before?.room_type ?? '',
        rateCode: row.rateCode ?? before?.rate_code ?? '',
        channel: row.channel ?? before?.channel ?? '',
        amount: row.amount ?? (before?.amount === null || before?.amount === undefined ? null : Number(before.amount)),
        currency: row.currency ?? before?.currency ?? 'TWD',
        status: row.status ?? before?.status ?? 'stayed',
      };
      if (!stay.checkIn) return { action: 'error', field: 'checkIn', reason: 'dates_missing' };
      if (!stay.checkOut) return { action: 'error', field: 'checkOut', reason: 'dates_missing' };
      if (stay.checkOut < stay.checkIn) return { action: 'error', field: 'checkOut', reason: 'dates_reversed' };
      if (!before) {
        const present = (['checkIn', 'checkOut', 'roomType', 'rateCode', 'channel', 'amount', 'currency', 'status'] as const).filter((f) => row[f] !== undefined);
        return { action: 'create', stay, fields: present };
      }
      const fields: string[] = [];
      if (stay.memberId !== before.member_id) fields.push('member');
      if (stay.checkIn !== String(before.check_in)) fields.push('checkIn');
      if (stay.checkOut !== String(before.check_out)) fields.push('checkOut');
      if (stay.roomType !== before.room_type) fields.push('roomType');
      if (stay.rateCode !== before.rate_code) fields.push('rateCode');
      if (stay.channel !== before.channel) fields.push('channel');
      if (stay.amount !== (before.amount === null ? null : Number(before.amount))) fields.push('amount');
      if (stay.currency !== before.currency) fields.push('currency');
      if (stay.status !== before.status) fields.push('status');
      return { action: fields.length > 0 ? 'update' : 'unchanged', stay, fields };
    });
  }

  /**
   * Writes the planned stays in one statement, with the same conflict target and "only if something differs" guard as
   * the single-stay upsertStayByExternalId, so imports, the API and a later PMS sync converge on the same row.
   * New stays get a 'stay_added' history entry, changed ones an 'imported' entry (field names only).
   */
  async function applyStays(ctx: TenantContext, plans: BulkStayPlan[], source: BulkSource): Promise<void> {
    const writes = plans.flatMap((p) => (p.action === 'create' || p.action === 'update' ? [p] : []));
    if (writes.length === 0) return;
    const now = clock.now();
    const at = now.toISOString();
    const records = writes.map(({ stay }) => ({
      id: stay.id,
      member_id: stay.memberId,
      property_id: stay.propertyId,
      external_id: stay.externalId,
      check_in: stay.checkIn,
      check_out: stay.checkOut,
      room_type: stay.roomType,
      rate_code: stay.rateCode,
      channel: stay.channel,
      amount: stay.amount,
      currency: stay.currency,
      status: stay.status,
    }));
    const written = await queryRows<{ id: string; member_id: string; inserted: boolean }>(
      ctx.db,
      sql`insert into member_stays (tenant_id, id, member_id, property_id, source, external_id, check_in, check_out, room_type, rate_code, channel, amount, currency, status, created_at, updated_at)
          select ${ctx.tenantId}, r.id, r.member_id, r.property_id, 'import', r.external_id, r.check_in, r.check_out, r.room_type, r.rate_code, r.channel, r.amount, r.currency, r.status,
                 ${at}::timestamptz, ${at}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
            id uuid, member_id uuid, property_id uuid, external_id text, check_in date, check_out date, room_type text, rate_code text, channel text,
            amount bigint, currency text, status text)
          on conflict (tenant_id, property_id, external_id) where external_id is not null do update set
            member_id = excluded.member_id, check_in = excluded.check_in, check_out = excluded.check_out, room_type = excluded.room_type,
            rate_code = excluded.rate_code, channel = excluded.channel, amount = excluded.amount, currency = excluded.currency,
            status = excluded.status, updated_at = excluded.updated_at
          where (member_stays.member_id, member_stays.check_in, member_stays.check_out, member_stays.room_type, member_stays.rate_code,
                 member_stays.channel, member_stays.amount, member_stays.currency, member_stays.status)
            is distinct from (excluded.member_id, excluded.check_in, excluded.check_out, excluded.room_type, excluded.rate_code,
                 excluded.channel, excluded.amount, excluded.currency, excluded.status)
          returning id, member_id, (xmax = 0) as inserted`,
    );
    const planById = new Map(writes.map((p) => [p.stay.id, p]));
    const history: HistoryEntry[] = written.map((row) => {
      const plan = planById.get(row.id);
      return row.inserted
        ? { memberId: row.member_id, type: 'stay_added', details: { stayId: row.id, checkIn: plan?.stay.checkIn, checkOut: plan?.stay.checkOut, propertyId: plan?.stay.propertyId, source: 'import', importId: source.importId } }
        : { memberId: row.member_id, type: 'imported', details: { importId: source.importId, action: 'updated', stayId: row.id, fields: plan?.fields ?? [] } };
    });
    await insertHistory(ctx, history, source, now);
  }

  // Export

  /**
   * The selected live members for an export, by member number. Contact details and identity numbers are masked unless
   * `unmasked` (the caller checked the permission and writes the audit entry).
   */
  async function membersForExport(ctx: TenantContext, selection: SQL, options: { unmasked: boolean }): Promise<MemberExportRow[]> {
    const rows = await ctx.db
      .select()
      .from(members)
      .where(and(eq(members.tenantId, ctx.tenantId), isNull(members.deletedAt), sql`${members.id} in (${selection})`))
      .orderBy(asc(members.memberNo));
    return rows.map((m) => ({
      id: m.id,
      memberNo: m.memberNo,
      propertyId: m.propertyId,
      lastName: m.lastName,
      firstName: m.firstName,
      gender: m.gender,
      birthday: m.birthday,
      preferredLanguage: m.preferredLanguage,
      email: m.email && !options.unmasked ? maskEmail(m.email) : m.email,
      mobile: m.mobile && !options.unmasked ? maskMobile(m.mobile) : m.mobile,
      identityType: m.idType,
      identityNumber: m.idNumberEncrypted ? (options.unmasked ? keyring.decrypt(m.idNumberEncrypted) : m.idNumberMasked) : null,
      passportCountry: m.passportCountry,
      marketingOptIn: m.marketingOptIn,
      optInChangedAt: m.optInChangedAt,
      optInSource: m.optInSource,
      notes: m.notes,
      lineStatus: m.lineStatus,
      lineDisplayName: m.lineDisplayName,
      joinedAt: m.joinedAt,
      lastInteractionAt: m.lastInteractionAt,
    }));
  }

  return { matchMembers, planMembers, applyMembers, planStays, applyStays, membersForExport };
}

export type MembersBulk = ReturnType<typeof createMembersBulk>;
