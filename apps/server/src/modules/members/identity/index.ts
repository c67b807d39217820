/** Guest identity data: normalise, validate, mask. Pure functions; the public surface of this folder. */
export { parseEmail, normaliseEmail } from './email.ts';
export { maskEmail } from '../../../core/masking.ts';
export type { EmailResult, EmailFailureReason } from './email.ts';
export { toHalfWidth } from './full-width.ts';
export { parseIdentityDocument, maskIdentityNumber } from './identity-document.ts';
export type {
  IdentityDocument,
  IdentityDocumentKind,
  IdentityDocumentOptions,
  IdentityDocumentResult,
  IdentityFailureReason,
} from './identity-document.ts';
export { IDENTITY_FIELD_MESSAGES, MOBILE_MESSAGE_KEYS, EMAIL_MESSAGE_KEYS, identityDocumentMessageKey } from './messages.ts';
export type { IdentityMessageKey } from './messages.ts';
export { normaliseMobile, maskMobile } from './mobile.ts';
export type { MobileNumber, MobileResult, MobileFailureReason } from './mobile.ts';
export { parseTaiwanId, normaliseTaiwanId, isPlaceholderTaiwanId } from './national-id.ts';
export type { TaiwanIdKind, TaiwanIdResult, TaiwanIdFailureReason } from './national-id.ts';
export { parsePassport, normalisePassport, normaliseCountryCode } from './passport.ts';
export type { PassportResult, PassportFailureReason } from './passport.ts';
export { ZNationalIdOrPassport, ZMobile, ZEmailAddress, zIdentityDocument } from './schemas.ts';
