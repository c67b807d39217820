/**
 * The coded values that cross the wire (a member's gender, a stay's status, a tag's source, …). Plain lists without
 * zod, so the web app can show them in its menus without loading a validator; the schemas in ./api build on them.
 */

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export const LANGUAGES = ['zh-TW', 'en', 'ja', 'ko', 'other'] as const;
export const LINE_STATUSES = ['following', 'blocked', 'never'] as const;
export const IDENTITY_TYPES = ['national_id', 'resident_certificate', 'passport'] as const;
export const STAY_STATUSES = ['booked', 'in_house', 'stayed', 'cancelled', 'no_show'] as const;
/**
 * A stay's party: adults and children in the room (德安 ORDER_DT ADULT_QNT / CHILD_QNT). Null is "not recorded". At
 * most 99 of each: two digits, as a front desk types them; a larger value is a typo, not a party.
 */
export const STAY_PARTY_MAX = 99;
/** Segment `stays` condition: stays with children, with none recorded as such, or whose party was not recorded. */
export const STAY_CHILDREN_FILTERS = ['with', 'without', 'unrecorded'] as const;
export const TAG_KINDS = ['basic', 'campaign'] as const;
export const TAG_SOURCES = ['staff', 'campaign', 'rule', 'pms', 'import', 'api', 'line'] as const;
export const MEMBER_SORTS = ['recent', 'joined', 'member_no', 'name'] as const;

/** What a merge can take from either record; the rest (stays, tags, history) is always combined. */
export const MERGEABLE_FIELDS = ['propertyId', 'lastName', 'firstName', 'gender', 'birthday', 'preferredLanguage', 'email', 'mobile', 'identity', 'marketingOptIn', 'notes', 'line'] as const;

/** Segment conditions: which fields `has_field` can ask about and which interactions `interaction` counts. */
export const HAS_FIELDS = ['email', 'mobile', 'identity', 'birthday', 'line'] as const;
export const INTERACTION_KINDS = ['clicked', 'received', 'opened', 'message_received', 'followed', 'blocked'] as const;

/** What a member area's sign-up form may ask (each can be switched on and made required). */
export const PORTAL_REGISTRATION_FIELDS = ['name', 'mobile', 'identity', 'email', 'birthday'] as const;
/** A member area button's label fits a phone's button. */
export const PORTAL_BUTTON_LABEL_MAX = 20;

/** A segment definition nests at most this deep and holds at most this many conditions in all. */
export const SEGMENT_MAX_DEPTH = 4;
export const SEGMENT_MAX_CONDITIONS = 60;

export type Gender = (typeof GENDERS)[number];
export type Language = (typeof LANGUAGES)[number];
export type LineStatus = (typeof LINE_STATUSES)[number];
export type IdentityType = (typeof IDENTITY_TYPES)[number];
export type StayStatus = (typeof STAY_STATUSES)[number];
export type StayChildrenFilter = (typeof STAY_CHILDREN_FILTERS)[number];
export type TagKind = (typeof TAG_KINDS)[number];
export type TagSource = (typeof TAG_SOURCES)[number];
export type MemberSort = (typeof MEMBER_SORTS)[number];
export type MergeableField = (typeof MERGEABLE_FIELDS)[number];
export type HasField = (typeof HAS_FIELDS)[number];
export type PortalRegistrationField = (typeof PORTAL_REGISTRATION_FIELDS)[number];
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
