import type { Keyring } from '../../core/crypto/keyring.ts';
import { maskEmail, maskIdentityNumber, maskMobile } from './identity/index.ts';
import type { MemberRow, NewMember } from './members.repository.ts';
import type { IdentityType } from './members.tables.ts';

const BLIND_INDEX_PURPOSE = 'member.identity_document';

/**
 * Identity document numbers are kept three ways, never in plain text: encrypted (AES-256-GCM, reversible for an
 * authorised, audited reveal), a keyed hash for exact matching (PMS linking, duplicates), and a masked form for display.
 */
export function sealIdentity(keyring: Keyring, identity: { type: IdentityType; number: string; passportCountry?: string | null | undefined } | null): Partial<NewMember> {
  if (!identity) return { idType: null, idNumberEncrypted: null, idNumberHash: null, idNumberMasked: null, passportCountry: null, idNumberConflict: false };
  return {
    // A new number is checked by the unique index again, whatever the old one was.
    idNumberConflict: false,
    idType: identity.type,
    idNumberEncrypted: keyring.encrypt(identity.number),
    idNumberHash: identityHash(keyring, identity.number),
    idNumberMasked: maskIdentityNumber(identity.number),
    passportCountry: identity.type === 'passport' ? (identity.passportCountry ?? null) : null,
  };
}

/** The lookup key for an already-normalised document number. */
export function identityHash(keyring: Keyring, normalisedNumber: string): string {
  return keyring.blindIndex(normalisedNumber, BLIND_INDEX_PURPOSE);
}

export function revealIdentity(keyring: Keyring, member: MemberRow) {
  return {
    email: member.email,
    mobile: member.mobile,
    identity: member.idNumberEncrypted ? { type: member.idType, number: keyring.decrypt(member.idNumberEncrypted), passportCountry: member.passportCountry } : null,
  };
}

export type MemberDto = ReturnType<typeof toMemberDto>;

/** The member as the API shows it: contact details masked, identity document masked (reveal is a separate, audited call). */
export function toMemberDto(member: MemberRow) {
  return {
    id: member.id,
    memberNo: member.memberNo,
    propertyId: member.propertyId,
    lastName: member.lastName,
    firstName: member.firstName,
    gender: member.gender,
    birthday: member.birthday,
    preferredLanguage: member.preferredLanguage,
    email: member.email ? maskEmail(member.email) : null,
    mobile: member.mobile ? maskMobile(member.mobile) : null,
    identity: member.idType ? { type: member.idType, masked: member.idNumberMasked ?? '', passportCountry: member.passportCountry } : null,
    marketingOptIn: member.marketingOptIn,
    optInChangedAt: member.optInChangedAt,
    optInSource: member.optInSource,
    notes: member.notes,
    line: {
      userId: member.lineUserId,
      displayName: member.lineDisplayName,
      pictureUrl: member.linePictureUrl,
      status: member.lineStatus,
      followedAt: member.lineFollowedAt,
      statusChangedAt: member.lineStatusChangedAt,
    },
    joinedAt: member.joinedAt,
    lastInteractionAt: member.lastInteractionAt,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
    deletedAt: member.deletedAt,
  };
}
