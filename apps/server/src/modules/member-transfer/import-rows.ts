import { cleanName, nameKey } from '@innkeeper/contracts';
import {
  checkEmail,
  checkIdentityNumber,
  checkMobile,
  maskPersonalValue,
  type BulkMemberFields,
  type BulkMemberKeys,
  type BulkStayRow,
  type PropertyScope,
} from '../members/index.ts';
import {
  cleanCell,
  looksMasked,
  parseAmount,
  parseCurrency,
  parseDate,
  parseGender,
  parseLanguage,
  parseMemberNo,
  parseParty,
  parseStayStatus,
  parseYesNo,
  splitFullName,
  splitTagNames,
  type Parsed,
} from './cells.ts';
import { KEY_FIELDS, type ImportField, type ImportMapping } from './import-fields.ts';
import type { RowError } from './member-transfer.tables.ts';
import type { Sheet, SheetRow } from './spreadsheet-reader.ts';

/**
 * Turns each row's cells into normalised values, or row errors, without touching the database: the first pass of a dry
 * run and of an import. Matching against existing members happens afterwards, in batches.
 */

export type Lookups = {
  properties: ReadonlyArray<{ id: string; code: string; name: string }>;
  /**
   * The file's tag names (cleanName) that are the hotel's tags, as the database compares names (in any case and width,
   * migrations 0063, 0064): a file's 「vip」, 「ＶＩＰ」 or 「VIP 」 is the hotel's 「VIP」; its 「οδος」 is not the
   * hotel's 「ΟΔΟΣ」 (both can exist).
   */
  tagIdsByName: ReadonlyMap<string, string>;
  /** Today where the hotel is (birthdays cannot be later). */
  today: string;
  scope: PropertyScope;
};

type Values = Partial<Record<ImportField, string>>;

export type MemberDraft = { rowNumber: number; errors: RowError[]; values: Values; keys: BulkMemberKeys; fields: BulkMemberFields; tagIds: string[] };

export type StayDraft = {
  rowNumber: number;
  errors: RowError[];
  values: Values;
  keys: BulkMemberKeys;
  /** The stay as the members module takes it, once the row's member is found. */
  stay: Omit<BulkStayRow, 'memberId'>;
};

const PERSONAL: Partial<Record<ImportField, 'email' | 'mobile' | 'identity' | 'birthday'>> = { email: 'email', mobile: 'mobile', identity: 'identity', birthday: 'birthday' };

/** A cell value as reports show it: masked where it is personal data, and short. */
export function displayValue(field: string, text: string): string {
  const kind = PERSONAL[field as ImportField];
  const shown = kind ? maskPersonalValue(kind, text) : text;
  return shown.length > 100 ? `${shown.slice(0, 99)}…` : shown;
}

export function columnLabel(headers: readonly string[], mapping: ImportMapping, field: string): string {
  const index = mapping[field as ImportField];
  if (index === undefined) return '';
  return headers[index] || `#${index + 1}`;
}

function readValues(row: SheetRow, mapping: ImportMapping): Values {
  const values: Values = {};
  for (const [field, index] of Object.entries(mapping) as Array<[ImportField, number]>) {
    const text = cleanCell(row.cells[index] ?? '');
    if (text !== '') values[field] = text;
  }
  return values;
}

class RowReader {
  readonly errors: RowError[] = [];
  readonly values: Values;
  private readonly headers: readonly string[];
  private readonly mapping: ImportMapping;

  constructor(row: SheetRow, headers: readonly string[], mapping: ImportMapping) {
    this.values = readValues(row, mapping);
    this.headers = headers;
    this.mapping = mapping;
  }

  error(field: ImportField, code: string, params?: Record<string, string | number>): void {
    this.errors.push({ field, column: columnLabel(this.headers, this.mapping, field), code, value: displayValue(field, this.values[field] ?? ''), ...(params ? { params } : {}) });
  }

  /** Runs a parser over the field's text, if there is any; records the failure. */
  parse<T>(field: ImportField, parser: (text: string) => Parsed<T>): T | undefined {
    const text = this.values[field];
    if (text === undefined) return undefined;
    const result = parser(text);
    if (result.ok) return result.value;
    this.error(field, result.code, result.params);
    return undefined;
  }

  text(field: ImportField, max: number): string | undefined {
    return this.parse(field, (text) => (Array.from(text).length <= max ? { ok: true, value: text } : { ok: false, code: 'field.import_too_long', params: { max } }));
  }

  /** The keys that identify the member: member number, ID/passport, mobile, email. */
  keys(identityCountry?: string): { keys: BulkMemberKeys; fields: Pick<BulkMemberFields, 'email' | 'mobile' | 'identity'> } {
    const keys: BulkMemberKeys = {};
    const fields: Pick<BulkMemberFields, 'email' | 'mobile' | 'identity'> = {};
    for (const field of ['email', 'mobile', 'identity'] as const) {
      if (this.values[field] !== undefined && looksMasked(this.values[field])) {
        this.error(field, 'field.import_masked_value');
        delete this.values[field];
      }
    }
    keys.memberNo = this.parse('memberNo', parseMemberNo);
    fields.email = keys.email = this.parse('email', (t) => fromCheck(checkEmail(t)));
    fields.mobile = keys.mobile = this.parse('mobile', (t) => fromCheck(checkMobile(t)));
    const identityText = this.values.identity;
    if (identityText !== undefined) {
      const checked = checkIdentityNumber(identityText, identityCountry);
      if (checked.ok) {
        fields.identity = checked.value;
        keys.identity = checked.value.number;
      } else {
        this.error(checked.onCountry ? 'passportCountry' : 'identity', checked.message);
      }
    }
    if (KEY_FIELDS.every((f) => this.values[f] === undefined)) this.error(this.mapping.memberNo !== undefined ? 'memberNo' : firstMappedKey(this.mapping), 'field.import_no_key');
    return { keys: stripUndefined(keys), fields };
  }

  property(lookups: Lookups): string | undefined {
    return this.parse('property', (text) => {
      const wanted = text.toLowerCase();
      const property = lookups.properties.find((p) => p.code.toLowerCase() === wanted) ?? lookups.properties.find((p) => p.name === text);
      if (!property) return { ok: false, code: 'field.import_property_unknown', params: { value: text.slice(0, 50) } };
      if (lookups.scope !== 'all' && !lookups.scope.includes(property.id)) return { ok: false, code: 'field.import_out_of_scope' };
      return { ok: true, value: property.id };
    });
  }
}

function fromCheck<T>(check: { ok: true; value: T } | { ok: false; message: string }): Parsed<T> {
  return check.ok ? { ok: true, value: check.value } : { ok: false, code: check.message };
}

function firstMappedKey(mapping: ImportMapping): ImportField {
  return KEY_FIELDS.find((f) => mapping[f] !== undefined) ?? 'memberNo';
}

function stripUndefined<T extends object>(value: T): T {
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return value;
}

/** Later rows that repeat a key of an earlier row are errors: which one is meant would depend on the order of writes. */
function markDuplicates<T extends { rowNumber: number; errors: RowError[] }>(
  drafts: T[],
  keysOf: (draft: T) => Array<[ImportField, string | undefined]>,
  error: (draft: T, field: ImportField, firstRow: number) => RowError,
): void {
  const seen = new Map<string, number>();
  for (const draft of drafts) {
    const keys = keysOf(draft).filter((entry): entry is [ImportField, string] => entry[1] !== undefined && entry[1] !== '');
    const duplicate = keys.map(([field, value]) => [field, seen.get(`${field}\u0000${value}`)] as const).find(([, first]) => first !== undefined);
    if (duplicate) draft.errors.push(error(draft, duplicate[0], duplicate[1]!));
    for (const [field, value] of keys) if (!seen.has(`${field}\u0000${value}`)) seen.set(`${field}\u0000${value}`, draft.rowNumber);
  }
}

/**
 * Names told apart as the tag names' unique index tells them (any case, any width: nameKey), the first spelling of
 * each kept: for the messages naming missing tags, which would otherwise list one tag once per spelling.
 */
export function distinctNames(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = nameKey(name);
    if (!seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()];
}

/** Every tag name the file's 標籤 column gives (cleanName), to ask the database for those tags (Lookups.tagIdsByName). */
export function tagNamesIn(sheet: Sheet, mapping: ImportMapping): string[] {
  if (mapping.tags === undefined) return [];
  const names = new Set<string>();
  for (const row of sheet.rows) {
    const text = readValues(row, { tags: mapping.tags }).tags;
    if (text !== undefined) for (const name of splitTagNames(text)) names.add(cleanName(name));
  }
  return [...names];
}

export function draftMembers(sheet: Sheet, mapping: ImportMapping, lookups: Lookups): MemberDraft[] {
  const drafts = sheet.rows.map((row): MemberDraft => {
    const r = new RowReader(row, sheet.headers, mapping);
    const { keys, fields: keyFields } = r.keys(r.values.passportCountry);
    const fields: BulkMemberFields = { ...stripUndefined(keyFields) };
    const fullName = r.text('fullName', 200);
    if (fullName !== undefined) {
      const split = splitFullName(fullName);
      if (Array.from(split.lastName).length > 100 || Array.from(split.firstName).length > 100) r.error('fullName', 'field.import_too_long', { max: 100 });
      else Object.assign(fields, { lastName: split.lastName, firstName: split.firstName, nameAsWritten: fullName });
    }
    const lastName = r.text('lastName', 100);
    const firstName = r.text('firstName', 100);
    if (lastName !== undefined || firstName !== undefined) delete fields.nameAsWritten;
    if (lastName !== undefined) fields.lastName = lastName;
    if (firstName !== undefined) fields.firstName = firstName;
    fields.gender = r.parse('gender', parseGender);
    fields.birthday = r.parse('birthday', (t) => parseDate(t, { notAfter: lookups.today }));
    fields.marketingOptIn = r.parse('marketingOptIn', parseYesNo);
    fields.propertyId = r.property(lookups);
    fields.preferredLanguage = r.parse('preferredLanguage', parseLanguage);
    fields.notes = r.text('notes', 5000);
    const tagIds =
      r.parse('tags', (text) => {
        const names = splitTagNames(text);
        const ids = names.map((name) => lookups.tagIdsByName.get(cleanName(name)));
        // One missing tag named once, however the row spells it (「family」, 「ＦＡＭＩＬＹ」 are one tag to create).
        const unknown = distinctNames(names.filter((_, i) => ids[i] === undefined));
        if (unknown.length > 0) return { ok: false, code: 'field.import_tag_unknown', params: { value: unknown.join('、').slice(0, 100) } };
        return { ok: true, value: ids as string[] };
      }) ?? [];
    return { rowNumber: row.rowNumber, errors: r.errors, values: r.values, keys, fields: stripUndefined(fields), tagIds };
  });
  markDuplicates(
    drafts,
    (d) => KEY_FIELDS.map((f) => [f, d.keys[f]]),
    (d, field, firstRow) => ({ field, column: columnLabel(sheet.headers, mapping, field), code: 'field.import_duplicate_row', value: displayValue(field, d.values[field] ?? ''), params: { row: firstRow } }),
  );
  return drafts;
}

export function draftStays(sheet: Sheet, mapping: ImportMapping, lookups: Lookups): StayDraft[] {
  const drafts = sheet.rows.map((row): StayDraft => {
    const r = new RowReader(row, sheet.headers, mapping);
    const { keys } = r.keys();
    const required = (field: ImportField) => {
      if (r.values[field] === undefined) r.error(field, 'field.required');
    };
    (['property', 'checkIn', 'checkOut', 'reservationNo'] as const).forEach(required);
    const stay: StayDraft['stay'] = {
      propertyId: r.property(lookups) ?? '',
      externalId: r.text('reservationNo', 100) ?? '',
      checkIn: r.parse('checkIn', (t) => parseDate(t)),
      checkOut: r.parse('checkOut', (t) => parseDate(t)),
      roomType: r.text('roomType', 50),
      rateCode: r.text('rateCode', 50),
      channel: r.text('channel', 50),
      amount: r.parse('amount', parseAmount),
      currency: r.parse('currency', parseCurrency),
      status: r.parse('status', parseStayStatus),
      adults: r.parse('adults', parseParty),
      children: r.parse('children', parseParty),
    };
    if (stay.checkIn && stay.checkOut && stay.checkOut < stay.checkIn) r.error('checkOut', 'field.check_out_before_check_in');
    return { rowNumber: row.rowNumber, errors: r.errors, values: r.values, keys, stay: stripUndefined(stay) };
  });
  markDuplicates(
    drafts,
    (d) => [['reservationNo', d.stay.propertyId && d.stay.externalId ? `${d.stay.propertyId}\u0000${d.stay.externalId}` : undefined]],
    (d, field, firstRow) => ({ field, column: columnLabel(sheet.headers, mapping, field), code: 'field.import_duplicate_row', value: displayValue(field, d.values[field] ?? ''), params: { row: firstRow } }),
  );
  return drafts;
}
