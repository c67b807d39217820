import type {
  RequestBody,
  ResponseBody,
  ZAudience,
  ZDeletedMember,
  ZInteraction,
  ZMember,
  ZMemberInput,
  ZMemberListItem,
  ZMemberSearchRequest,
  ZMemberSearchResponse,
  ZMergeRequest,
  ZPersonalData,
  ZStay,
  ZStayInput,
} from '@innkeeper/contracts/api';

/**
 * The member routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api): a field
 * changed there fails the type-check here. Types only, so zod stays out of the app's bundle.
 */

export type { Gender, IdentityType, LineStatus, MemberSort, MergeableField, StayStatus, TagSource } from '@innkeeper/contracts';
export type { Language as PreferredLanguage } from '@innkeeper/contracts';
export { MERGEABLE_FIELDS, STAY_PARTY_MAX } from '@innkeeper/contracts';

/** GET /api/members/:id — contact details and the identity document come masked. */
export type Member = ResponseBody<typeof ZMember>;
export type DeletedMember = ResponseBody<typeof ZDeletedMember>;
/** POST /api/members/:id/personal-data */
export type PersonalData = ResponseBody<typeof ZPersonalData>;
/** POST /api/members, PATCH /api/members/:id: absent fields stay as they are, null clears. */
export type MemberInput = RequestBody<typeof ZMemberInput>;

/** One row of POST /api/members/search. */
export type MemberListItem = ResponseBody<typeof ZMemberListItem>;

/** Who: a saved segment, ad-hoc conditions, chosen members and/or search text (all optional, combined with AND). */
export type Audience = RequestBody<typeof ZAudience>;
export type MemberSearchRequest = RequestBody<typeof ZMemberSearchRequest>;
export type MemberSearchPage = ResponseBody<typeof ZMemberSearchResponse>;

export type Stay = ResponseBody<typeof ZStay>;
export type StayInput = RequestBody<typeof ZStayInput>;
export type Interaction = ResponseBody<typeof ZInteraction>;

export type MergeChoices = NonNullable<RequestBody<typeof ZMergeRequest>['choices']>;
