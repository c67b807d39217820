import { memberValueLabel, type Locale } from '@innkeeper/contracts';
import type { Clock } from '../../core/clock.ts';
import { can, type RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { recordAudit } from '../audit/index.ts';
import type { MemberExportRow, MembersBulk } from '../members/index.ts';
import { calendarDate, type Audience, type SegmentsService } from '../segments/index.ts';
import { getCurrentTenant, listAllProperties } from '../tenants/index.ts';
import { FIELD_LABELS } from './import-fields.ts';
import * as repo from './member-transfer.repository.ts';
import { csvFile } from '../../core/csv-file.ts';
import { CONTENT_TYPES, xlsxFile, type FileFormat } from './spreadsheet-writer.ts';

/**
 * Member list / segment exports. Built in the request (the access wrapper sends the file after the transaction
 * commits) and limited to MAX_EXPORT_ROWS members: a bigger list is refused with a hint to narrow it, rather than holding a
 * transaction and tens of megabytes for minutes.
 * Headers are the ones the importer recognises, so an unmasked export re-imports as "unchanged".
 */

export const EXPORT_COLUMNS = [
  'memberNo', 'lastName', 'firstName', 'gender', 'birthday', 'email', 'mobile', 'identityType', 'identity', 'passportCountry', 'property',
  'preferredLanguage', 'marketingOptIn', 'optInChangedAt', 'optInSource', 'tags', 'notes', 'lineStatus', 'lineDisplayName', 'joinedAt',
  'lastInteractionAt',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export const MAX_EXPORT_ROWS = 50_000;

// The columns an import also reads are named as the import and its template name them (one glossary: a file exported
// and imported back, and staff comparing the two, see the same words); the rest are the export's own.
const HEADERS: Record<ExportColumn, Record<Locale, string>> = {
  memberNo: FIELD_LABELS.memberNo,
  lastName: FIELD_LABELS.lastName,
  firstName: FIELD_LABELS.firstName,
  gender: FIELD_LABELS.gender,
  birthday: FIELD_LABELS.birthday,
  email: FIELD_LABELS.email,
  mobile: FIELD_LABELS.mobile,
  identityType: { 'zh-TW': '證件類別', en: 'ID type' },
  identity: FIELD_LABELS.identity,
  passportCountry: FIELD_LABELS.passportCountry,
  property: FIELD_LABELS.property,
  preferredLanguage: FIELD_LABELS.preferredLanguage,
  marketingOptIn: FIELD_LABELS.marketingOptIn,
  optInChangedAt: { 'zh-TW': '同意變更時間', en: 'Opt-in changed at' },
  optInSource: { 'zh-TW': '同意來源', en: 'Opt-in source' },
  tags: FIELD_LABELS.tags,
  notes: FIELD_LABELS.notes,
  lineStatus: { 'zh-TW': 'LINE 狀態', en: 'LINE status' },
  lineDisplayName: { 'zh-TW': 'LINE 名稱', en: 'LINE name' },
  joinedAt: { 'zh-TW': '加入時間', en: 'Joined at' },
  lastInteractionAt: { 'zh-TW': '最近互動', en: 'Last interaction' },
};

export function createMemberExportService(deps: { clock: Clock; bulk: MembersBulk; segments: SegmentsService }) {
  const { clock, bulk, segments } = deps;

  /**
   * The audience as a spreadsheet. Email, mobile and ID numbers are masked unless the account also holds
   * 'personal_data.unmasked'; every export is written to the audit log with its size, audience and whether it was unmasked.
   */
  async function exportMembers(ctx: RequestContext, input: { audience: Audience; format: FileFormat; columns?: ExportColumn[] | undefined }) {
    const total = await segments.countAudience(ctx, input.audience);
    if (total > MAX_EXPORT_ROWS) throw new AppError('member_export.too_large', { count: total, limit: MAX_EXPORT_ROWS });
    const unmasked = can(ctx, 'personal_data.unmasked');
    const selection = await segments.audienceSelection(ctx, input.audience);
    const rows = await bulk.membersForExport(ctx, selection, { unmasked });
    const columns = input.columns ?? [...EXPORT_COLUMNS];
    const tagNames = columns.includes('tags') ? await repo.findTagNames(ctx.db, ctx.tenantId, selection, clock.now()) : new Map<string, string[]>();
    const propertyCodes = new Map((await listAllProperties(ctx)).map((p) => [p.id, p.code]));
    const tenant = await getCurrentTenant(ctx);
    // The words the screen shows (the web app takes them from the same table), not the stored codes.
    const label = (kind: Parameters<typeof memberValueLabel>[1], code: string) => memberValueLabel(ctx.locale, kind, code);
    const time = new Intl.DateTimeFormat('sv-SE', { timeZone: tenant.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    const at = (date: Date | null) => (date ? time.format(date) : '');
    const cell: Record<ExportColumn, (m: MemberExportRow) => string> = {
      memberNo: (m) => m.memberNo,
      lastName: (m) => m.lastName,
      firstName: (m) => m.firstName,
      gender: (m) => label('gender', m.gender),
      birthday: (m) => m.birthday ?? '',
      email: (m) => m.email ?? '',
      mobile: (m) => m.mobile ?? '',
      identityType: (m) => (m.identityType ? label('identityType', m.identityType) : ''),
      identity: (m) => m.identityNumber ?? '',
      passportCountry: (m) => m.passportCountry ?? '',
      property: (m) => (m.propertyId ? (propertyCodes.get(m.propertyId) ?? '') : ''),
      preferredLanguage: (m) => label('language', m.preferredLanguage),
      marketingOptIn: (m) => label('optIn', m.marketingOptIn ? 'yes' : 'no'),
      optInChangedAt: (m) => at(m.optInChangedAt),
      optInSource: (m) => (m.optInSource ? label('origin', m.optInSource) : ''),
      tags: (m) => (tagNames.get(m.id) ?? []).join('、'),
      notes: (m) => m.notes,
      lineStatus: (m) => label('lineStatus', m.lineStatus),
      lineDisplayName: (m) => m.lineDisplayName ?? '',
      joinedAt: (m) => at(m.joinedAt),
      lastInteractionAt: (m) => at(m.lastInteractionAt),
    };
    const table = [columns.map((c) => HEADERS[c][ctx.locale]), ...rows.map((m) => columns.map((c) => cell[c](m)))];
    const bytes = input.format === 'csv' ? csvFile(table) : await xlsxFile(ctx.locale === 'en' ? 'Members' : '會員', table);
    await recordAudit(ctx, {
      action: 'member.exported',
      targetType: 'member',
      details: { rows: rows.length, format: input.format, columns, unmasked, audience: segments.describeAudience(input.audience) },
    });
    const date = calendarDate(clock.now(), tenant.timezone);
    return {
      bytes,
      contentType: CONTENT_TYPES[input.format],
      fileName: `${ctx.locale === 'en' ? 'members' : '會員匯出'}-${date}.${input.format}`,
      asciiName: `members-${date}.${input.format}`,
    };
  }

  return { exportMembers };
}
