export { createMembersService, labelMembersForAudit, memberSelection, formatMemberNo, type EraseHook, type MembersService, type MergeHook, type MemberInput, type StayInput } from './members.service.ts';
export { membersOfProperties, propertyScopeOf, visibleMembers } from './member-scope.ts';
export { recordInteraction, recordInteractions, type InteractionInput } from './interactions.service.ts';
export { identityHash, toMemberDto, type MemberDto } from './personal-data.ts';
export { maskEmail, maskMobile, normaliseMobile, parseEmail, parseIdentityDocument } from './identity/index.ts';
export { MEMBER_FIELD_MESSAGES } from './members.messages.ts';
export { ZMemberIdParams, ZMemberInput } from './members.schemas.ts';
export { memberRoutes } from './members.routes.ts';
export { eraseExpiredMembersJob } from './members.jobs.ts';
export { createMemberLineService, type MemberLineService, type LineProfile } from './members.line.ts';
export {
  createMembersBulk,
  checkEmail,
  checkIdentityNumber,
  checkMobile,
  maskPersonalValue,
  type BulkFailure,
  type BulkIdentity,
  type BulkMatch,
  type BulkMemberFields,
  type BulkMemberKeys,
  type BulkMemberPlan,
  type BulkMemberRow,
  type BulkStayPlan,
  type BulkStayRow,
  type FieldCheck,
  type Gender,
  type IdentityType,
  type LineStatus,
  type MatchKey,
  type MemberExportRow,
  type MembersBulk,
  type PreferredLanguage,
  type PropertyScope,
  type StayStatus,
} from './members.bulk.ts';
