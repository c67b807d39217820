import type { TenantContext } from '../../core/context.ts';
import * as repo from './members.repository.ts';

/**
 * The member side of guest matching (the PMS sync), read in pages: each live member with an ID document (blind index
 * and masked form, never the number) or a mobile, whether that mobile was verified by SMS, and the name and birthday.
 */
export type MemberMatchKeys = {
  memberId: string;
  idType: 'national_id' | 'resident_certificate' | 'passport' | null;
  idNumberHash: string | null;
  idNumberMasked: string | null;
  passportCountry: string | null;
  mobile: string | null;
  mobileVerified: boolean;
  lastName: string;
  firstName: string;
  birthday: string | null;
};

export function createMatchKeys() {
  async function* memberMatchKeys(ctx: TenantContext, pageSize = 2000): AsyncGenerator<MemberMatchKeys[]> {
    let after: string | null = null;
    for (;;) {
      const rows = await repo.findMatchKeys(ctx.db, ctx.tenantId, after, pageSize);
      if (rows.length === 0) return;
      yield rows.map((r) => ({
        memberId: r.id,
        idType: r.id_type,
        idNumberHash: r.id_number_hash,
        idNumberMasked: r.id_number_masked,
        passportCountry: r.passport_country,
        mobile: r.mobile,
        mobileVerified: r.mobile_verified,
        lastName: r.last_name,
        firstName: r.first_name,
        birthday: r.birthday,
      }));
      if (rows.length < pageSize) return;
      after = rows.at(-1)!.id;
    }
  }

  /** Which of these members are live (not deleted or merged away): links go only to them. */
  function liveMemberIds(ctx: TenantContext, ids: readonly string[]): Promise<Set<string>> {
    return repo.findLiveMemberIds(ctx.db, ctx.tenantId, ids);
  }

  /** Every live member, for the share that has a usable key (coverage). */
  function countLiveMembers(ctx: TenantContext): Promise<number> {
    return repo.countLiveMembers(ctx.db, ctx.tenantId);
  }

  return { memberMatchKeys, liveMemberIds, countLiveMembers };
}
