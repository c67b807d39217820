import { normaliseMobile } from '../members/index.ts';
import type { MemberKeys } from './pms.matching.ts';
import { isMobileKey, normaliseIdNos, type IdFormat } from './pms.normalise.ts';

/**
 * The member side of matching. Two sources:
 *  - what a guest typed (LIFF, a form, an import), normalised here with the same rules as the PMS side;
 *  - a stored member row, whose ID exists only as its blind index plus a masked form (`A8*****14`), whose first
 *    characters still tell a national ID from an old or a new resident number.
 */
export type MemberSide =
  | {
      source: 'typed';
      memberId: string;
      idNumber?: string | null;
      idCountry?: string | null;
      mobile?: string | null;
      mobileVerified?: boolean;
      lastName?: string | null;
      firstName?: string | null;
      birthDate?: string | null;
    }
  | {
      source: 'stored';
      memberId: string;
      idType?: 'national_id' | 'resident_certificate' | 'passport' | null;
      idNumberHash?: string | null;
      idNumberMasked?: string | null;
      passportCountry?: string | null;
      mobile?: string | null;
      mobileVerified?: boolean;
      lastName?: string | null;
      firstName?: string | null;
      birthDate?: string | null;
    };

function storedFormat(idType: 'national_id' | 'resident_certificate' | 'passport', masked: string | null | undefined): IdFormat {
  if (idType === 'national_id' || idType === 'passport') return idType;
  return /^[A-Z][89]/.test(masked ?? '') ? 'resident_new' : 'resident_old';
}

export function memberKeysOf(member: MemberSide): MemberKeys {
  const mobile = member.mobile ? normaliseMobile(member.mobile) : null;
  const keys: MemberKeys = {
    memberId: member.memberId,
    id: null,
    // Only a mobile number is a key; a landline a member gave is not.
    mobile: mobile?.ok && isMobileKey(mobile) ? { e164: mobile.e164, verified: member.mobileVerified ?? false } : null,
    name: { lastName: member.lastName ?? null, firstName: member.firstName ?? null },
    birthDate: member.birthDate ?? null,
  };
  if (member.source === 'typed') {
    const id = member.idNumber ? normaliseIdNos(member.idNumber, member.idCountry) : null;
    keys.id = id?.ok ? id.key : null;
  } else if (member.idType && member.idNumberHash) {
    const format = storedFormat(member.idType, member.idNumberMasked);
    keys.id = { format, value: member.idNumberHash, ...(format === 'passport' && member.passportCountry ? { issuingCountry: member.passportCountry } : {}) };
  }
  return keys;
}
