export { createMembersService, isVisible, memberSelection, formatMemberNo, type MembersService, type MergeHook, type MemberInput, type StayInput } from './members.service.ts';
export { recordInteraction, type InteractionInput } from './interactions.service.ts';
export { identityHash, toMemberDto, type MemberDto } from './personal-data.ts';
export { maskEmail, maskMobile, normaliseMobile, parseEmail, parseIdentityDocument } from './identity/index.ts';
export { MEMBER_FIELD_MESSAGES } from './members.messages.ts';
export { ZMemberIdParams, ZMemberInput } from './members.schemas.ts';
export { memberRoutes } from './members.routes.ts';
export { eraseExpiredMembersJob } from './members.jobs.ts';
