import { contribute, defineModule, extensionPoint } from '../../core/module.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import { eraseExpiredMembersJob } from './members.jobs.ts';
import { createMemberLineService, type LineMomentHook } from './members.line.ts';
import { MEMBER_FIELD_MESSAGES } from './members.messages.ts';
import { memberRoutes } from './members.routes.ts';
import { createMembersService, labelMembersForAudit, type EditHook, type EraseHook, type MergeHook, type TimelineOrigin, type TimelineSource } from './members.service.ts';

export { labelMembersForAudit, memberSelection, formatMemberNo, type EditHook, type EraseHook, type MembersService, type MergeHook, type MemberInput, type StayInput, type TimelineEntry, type TimelineOrigin, type TimelinePage, type TimelineSource } from './members.service.ts';
export { membersOfProperties, propertyScopeOf, visibleMembers } from './member-scope.ts';
export { countCampaignButtonTaps, recordInteraction, recordInteractions, type InteractionInput } from './interactions.service.ts';
export { identityHash, toMemberDto, type MemberDto } from './personal-data.ts';
export { isPlaceholderTaiwanId, maskEmail, maskMobile, normaliseCountryCode, normaliseMobile, parseEmail, parseIdentityDocument, toHalfWidth } from './identity/index.ts';
export type { IdentityDocument, MobileNumber } from './identity/index.ts';
export { MEMBER_FIELD_MESSAGES } from './members.messages.ts';
export { parseDate, type ParsedDate } from './dates.ts';
export { parsePartyCount } from './party.ts';
export { ZMemberIdParams, ZMemberInput } from './members.schemas.ts';
export type { MemberLineService, MemberNumbers, LineProfile, LineMomentHook } from './members.line.ts';
export { memberMomentSources, type MomentSources } from './member-moments.ts';
export { createMembersBulk, type MembersBulk } from './members.bulk.ts';
export { checkEmail, checkIdentityNumber, checkMobile, maskPersonalValue, type BulkIdentity, type FieldCheck } from './import-checks.ts';
export type { BulkFailure, BulkMatch, BulkMemberFields, BulkMemberKeys, BulkMemberPlan, BulkMemberRow, MatchKey, PropertyScope } from './bulk-members.ts';
export type { BulkStayPlan, BulkStayRow } from './bulk-stays.ts';
export type { MemberExportRow } from './member-export.ts';
export type { MemberMatchKeys } from './match-keys.ts';
export type { PmsFieldChange, PmsFieldOutcome } from './pms-fields.ts';
export type { Gender, IdentityType, LineStatus, PreferredLanguage, StayStatus } from './members.tables.ts';

/** Run inside the merge's transaction: modules holding a member's rows move them to the member kept (tags). */
export const memberMergeHooks = extensionPoint<MergeHook>('members.merge');
/** Run when a member is erased for good: modules holding the member's personal data elsewhere remove it too. */
export const memberEraseHooks = extensionPoint<EraseHook>('members.erase');
/** Run inside the transaction that records a new LINE friend or a binding: automation lets the guest into its rules. */
export const lineMomentHooks = extensionPoint<LineMomentHook>('members.line-moments');
/** Run inside an edit's transaction when a member's fields changed: modules that copy them elsewhere (the PMS) follow. */
export const memberEditHooks = extensionPoint<EditHook>('members.edit');
/**
 * What else a member's timeline shows besides the interaction history, read when the timeline is (campaigns: the
 * campaigns LINE accepted for the guest, from their outcomes; a send to a million guests writes no history rows).
 */
export const timelineSources = extensionPoint<TimelineSource>('members.timeline');
/** Modules whose campaigns or rules timeline entries name, for property-scoped accounts (see TimelineOrigin). */
export const timelineOrigins = extensionPoint<TimelineOrigin>('members.timeline-origins');

export const membersModule = defineModule({
  name: 'members',
  permissions: ['members.read', 'members.edit', 'personal_data.unmasked'],
  fieldMessages: MEMBER_FIELD_MESSAGES,
  create: ({ db, keyring, clock, queue, extensions }) => {
    const members = createMembersService({ keyring, clock, mergeHooks: () => extensions.of(memberMergeHooks), eraseHooks: () => extensions.of(memberEraseHooks), editHooks: () => extensions.of(memberEditHooks), timelineSources: () => extensions.of(timelineSources), timelineOrigins: () => extensions.of(timelineOrigins) });
    return {
      services: { members, memberLine: createMemberLineService({ members, momentHooks: () => extensions.of(lineMomentHooks) }) },
      routes: [memberRoutes(members)],
      jobs: eraseExpiredMembersJob({ db, members, queue }),
      contributes: contribute(auditTargetLabelers, { member: labelMembersForAudit }),
    };
  },
});
