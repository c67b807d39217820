/**
 * The members feature's door: member data and its vocabulary, for every screen that shows, counts, filters or links
 * members (the member pages, tags, segments and member import today; the campaign builder, PMS pages and dashboard
 * next). It has no screens of its own and uses no other feature: the member pages (features/member-pages), which put
 * members, tags, segments and export together, sit above it.
 *
 * The segment grammar is here because a member audience is written in it (the list's filter, a saved segment, a
 * campaign's target). Its file also holds the segment builder's draft helpers (one file until the wire half moves to
 * packages/contracts; then the draft half belongs to features/segments).
 */
export type * from './api/types.ts';
export { MERGEABLE_FIELDS, STAY_PARTY_MAX } from './api/types.ts';
export * from './api/segment-definition.ts';
export * from './api/members.ts';
export { FIELD_NAMES, fullName, IDENTITY_TYPES, STAY_STATUSES, useMemberLabels } from './labels.ts';
export { audienceOf, MEMBER_SORTS, memberListRequest, membersLink, readMemberFilters, useMemberFilters, type MemberFilters } from './use-member-filters.ts';
