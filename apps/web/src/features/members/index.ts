/**
 * The members feature's door: what other features may use (tags, segments and member import today; the campaign
 * builder, PMS pages and dashboard next). Its pages are mounted by app/router; every other file here is private.
 */
export type * from './api/types.ts';
export { MERGEABLE_FIELDS } from './api/types.ts';
export { memberKeys, useInvalidateMembers, useMember, useMemberCount, useMemberSearch, useBulkTag } from './api/members.ts';
export { fullName, useMemberLabels } from './labels.ts';
export { audienceOf, MEMBER_SORTS, membersLink, useMemberFilters, type MemberFilters } from './use-member-filters.ts';
