import type { SQL } from 'drizzle-orm';
import type { TenantContext } from '../../core/context.ts';
import type { Keyring } from '../../core/crypto/keyring.ts';
import { maskEmail, maskMobile } from './identity/index.ts';
import { findMembersIn } from './members.repository.ts';
import type { Gender, IdentityType, LineStatus, PreferredLanguage } from './members.tables.ts';

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

export function createMemberExport(deps: { keyring: Keyring }) {
  const { keyring } = deps;

  /**
   * The selected live members for an export, by member number. Contact details and identity numbers are masked unless
   * `unmasked` (the caller checked the permission and writes the audit entry).
   */
  async function membersForExport(ctx: TenantContext, selection: SQL, options: { unmasked: boolean }): Promise<MemberExportRow[]> {
    const rows = await findMembersIn(ctx.db, ctx.tenantId, selection);
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

  return { membersForExport };
}
