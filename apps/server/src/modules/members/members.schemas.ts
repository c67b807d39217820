import { ZIdentityDocumentInput, ZMemberInput as ZMemberInputShape } from '@innkeeper/contracts/api';
import { z } from 'zod';
import { ZEmailAddress, ZMobile, parseIdentityDocument, identityDocumentMessageKey } from './identity/index.ts';

// The wire shapes of the member routes are the contract (@innkeeper/contracts/api); here are the server's own checks.

export const ZMemberIdParams = z.object({ memberId: z.uuid() });

/** An identity document as typed: validated by checksum (IDs) or shape (passports) and normalised. */
export const ZIdentityInput = ZIdentityDocumentInput.transform((input, ctx) => {
  const result = parseIdentityDocument(input.number, input.type, input.passportCountry ? { issuingCountry: input.passportCountry } : {});
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', path: [result.reason === 'country' ? 'passportCountry' : 'number'], message: input.number.trim() === '' ? 'field.required' : identityDocumentMessageKey(result.reason, input.type) });
    return z.NEVER;
  }
  return { type: result.kind, number: result.value, passportCountry: result.kind === 'passport' ? (result.issuingCountry ?? null) : null };
});

/** The contract's member fields, with e-mail, mobile and identity document parsed and normalised. */
export const ZMemberInput = ZMemberInputShape.extend({
  email: ZEmailAddress.nullable().optional(),
  mobile: ZMobile.transform((m) => m.e164).nullable().optional(),
  identity: ZIdentityInput.nullable().optional(),
});

/** A new member needs something to know the guest by: a name, a mobile, an e-mail address or an identity document. */
export const ZNewMember = ZMemberInput.refine((m) => Boolean(m.lastName || m.firstName || m.mobile || m.email || m.identity), { path: ['lastName'], message: 'field.member_needs_a_key' });
