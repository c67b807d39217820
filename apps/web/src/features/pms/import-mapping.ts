import type { PMS_GENERIC_FIELDS } from '@innkeeper/contracts/api';
import type { ColumnMapping } from './import-api.ts';

/**
 * The column mapping as staff make it: each column of the file is imported as one Innkeeper field (or not at all).
 * The server takes it the other way round (field → the column's header), so a column whose header is empty or
 * repeated cannot be named and is not offered.
 */
export type ImportField = (typeof PMS_GENERIC_FIELDS)[number];
/** Column position → the field it is imported as. */
export type ColumnChoices = Record<number, ImportField | undefined>;

export const GUEST_FIELDS = ['guestKey', 'fullName', 'lastName', 'firstName', 'gender', 'birthDate', 'idNumber', 'country', 'mobile', 'phone', 'email', 'updatedAt'] as const satisfies readonly ImportField[];
export const STAY_FIELDS = ['stayKey', 'checkIn', 'checkOut', 'roomType', 'hotelCode', 'roomNumber', 'adults', 'children'] as const satisfies readonly ImportField[];
/** Every field the server takes (the schema itself stays out of the web bundle): a field added there fails here. */
const ALL_FIELDS: readonly ImportField[] = [...GUEST_FIELDS, ...STAY_FIELDS];
type Unoffered = Exclude<ImportField, (typeof GUEST_FIELDS)[number] | (typeof STAY_FIELDS)[number]>;
const everyFieldOffered: [Unoffered] extends [never] ? true : Unoffered = true;
void everyFieldOffered;
/**
 * Fields whose values are not personal data: a column imported as one of them shows its sample as typed where the
 * server says the cell's shape allows it (dates, times, counts), so staff can check the format (2026/11/01 or
 * 11/01/2026). Any other column (IDs, phones, e-mail, the guest number, a column not imported) shows masked.
 */
export const PLAIN_FIELDS: ReadonlySet<ImportField> = new Set(['gender', 'birthDate', 'country', 'updatedAt', 'stayKey', 'checkIn', 'checkOut', 'roomType', 'hotelCode', 'roomNumber', 'adults', 'children']);

/** A sample cell as the screen shows it for the field its column is imported as. */
export function sampleCell(masked: string, plain: string | null | undefined, field: ImportField | undefined): string {
  return field !== undefined && PLAIN_FIELDS.has(field) && typeof plain === 'string' ? plain : masked;
}

/** The guest's number in the other PMS: it tells one guest from another (the server refuses a mapping without it). */
export const REQUIRED_FIELDS: readonly ImportField[] = ['guestKey'];
/** A stay needs both dates: one without the other would set every stay aside. */
export const PAIRED_FIELDS: ReadonlyArray<readonly [ImportField, ImportField]> = [['checkIn', 'checkOut']];

/**
 * A file without a guest number: the number is made from the guest's ID, else mobile and name (the server's
 * derivesGuestKey). Sent as 住客編號 naming the ID column (else the mobile column) too; the ID or mobile is still
 * imported as such, so members are matched by it.
 */
export const KEY_SOURCES: readonly ImportField[] = ['idNumber', 'mobile'];

export type MappingProblem =
  | { kind: 'required'; field: ImportField }
  | { kind: 'deriveNeeds' }
  | { kind: 'twice'; field: ImportField; columns: string[] }
  | { kind: 'paired'; field: ImportField; missing: ImportField };

/** Whether a column can be mapped: it has a header, and no other column has the same one. */
export function usableColumn(columns: readonly string[], index: number): boolean {
  const header = columns[index] ?? '';
  return header !== '' && columns.indexOf(header) === index && columns.lastIndexOf(header) === index;
}

/** A mapping (suggested or saved) as choices for these columns; columns it names that the file lacks are answered. */
export function choicesOf(mapping: ColumnMapping, columns: readonly string[]): { choices: ColumnChoices; notInFile: string[]; deriveKey: boolean } {
  const choices: ColumnChoices = {};
  const notInFile: string[] = [];
  const deriveKey = Boolean(mapping.guestKey) && KEY_SOURCES.some((field) => mapping[field] === mapping.guestKey);
  for (const field of ALL_FIELDS) {
    if (field === 'guestKey' && deriveKey) continue;
    const header = mapping[field];
    if (!header) continue;
    const index = columns.indexOf(header);
    if (index < 0 || !usableColumn(columns, index)) notInFile.push(header);
    else if (choices[index] === undefined) choices[index] = field;
  }
  return { choices, notInFile, deriveKey };
}

/**
 * The mapping the server takes (field → header); with a field chosen twice, its first column (sending is blocked).
 * `deriveKey`: 住客編號 names the ID column, else the mobile column (a column chosen as 住客編號 is then not sent).
 */
export function mappingOf(choices: ColumnChoices, columns: readonly string[], deriveKey = false): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const [index, field] of Object.entries(choices)) {
    const header = columns[Number(index)];
    if (field && header && mapping[field] === undefined && !(deriveKey && field === 'guestKey')) mapping[field] = header;
  }
  if (deriveKey) {
    const source = KEY_SOURCES.map((field) => mapping[field]).find(Boolean);
    if (source) mapping.guestKey = source;
  }
  return mapping;
}

/** What keeps the mapping from a dry run: a required field left out, a field chosen for two columns, half a pair. */
export function problemsOf(choices: ColumnChoices, columns: readonly string[], deriveKey = false): MappingProblem[] {
  const byField = new Map<ImportField, string[]>();
  for (const [index, field] of Object.entries(choices)) {
    if (field && !(deriveKey && field === 'guestKey')) byField.set(field, [...(byField.get(field) ?? []), columns[Number(index)] ?? '']);
  }
  const problems: MappingProblem[] = [];
  if (deriveKey) {
    if (!KEY_SOURCES.some((field) => byField.has(field))) problems.push({ kind: 'deriveNeeds' });
  } else {
    for (const field of REQUIRED_FIELDS) if (!byField.has(field)) problems.push({ kind: 'required', field });
  }
  for (const field of ALL_FIELDS) {
    const chosen = byField.get(field);
    if (chosen && chosen.length > 1) problems.push({ kind: 'twice', field, columns: chosen });
  }
  for (const [first, second] of PAIRED_FIELDS) {
    if (byField.has(first) && !byField.has(second)) problems.push({ kind: 'paired', field: first, missing: second });
    if (byField.has(second) && !byField.has(first)) problems.push({ kind: 'paired', field: second, missing: first });
  }
  return problems;
}

/** Two mappings are the same (a dry run's figures hold only for the mapping it ran). */
export function sameMapping(a: ColumnMapping, b: ColumnMapping): boolean {
  return ALL_FIELDS.every((field) => (a[field] ?? '') === (b[field] ?? ''));
}
