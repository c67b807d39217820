import type { Gender, Language, LineStatus, SegmentDefinition, TagSource } from './segment-definition.ts';

export type { Gender, LineStatus };
export type PreferredLanguage = Language;
export type IdentityType = 'national_id' | 'resident_certificate' | 'passport';
export type MemberSort = 'recent' | 'joined' | 'member_no' | 'name';
export type StayStatus = 'booked' | 'in_house' | 'stayed' | 'cancelled' | 'no_show';

/** GET /api/members/:id — contact details and the identity document come masked. */
export type Member = {
  id: string;
  memberNo: string;
  propertyId: string | null;
  lastName: string;
  firstName: string;
  gender: Gender;
  birthday: string | null;
  preferredLanguage: string;
  email: string | null;
  mobile: string | null;
  identity: { type: string; masked: string; passportCountry: string | null } | null;
  marketingOptIn: boolean;
  optInChangedAt: string | null;
  optInSource: string;
  notes: string;
  line: {
    userId: string | null;
    displayName: string | null;
    pictureUrl: string | null;
    status: LineStatus;
    followedAt: string | null;
    statusChangedAt: string | null;
  };
  joinedAt: string;
  lastInteractionAt: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
};

export type DeletedMember = Member & { restorableUntil: string };

/** POST /api/members/:id/personal-data */
export type PersonalData = {
  email: string | null;
  mobile: string | null;
  identity: { type: string | null; number: string; passportCountry: string | null } | null;
};

/** POST /api/members, PATCH /api/members/:id: absent fields stay as they are, null clears. */
export type MemberInput = {
  propertyId?: string | null;
  lastName?: string;
  firstName?: string;
  gender?: Gender;
  birthday?: string | null;
  preferredLanguage?: PreferredLanguage;
  email?: string | null;
  mobile?: string | null;
  identity?: { type: IdentityType; number: string; passportCountry?: string | null } | null;
  marketingOptIn?: boolean;
  notes?: string;
};

export type ListTag = { id: string; name: string; color: string; kind: string };

/** One row of POST /api/members/search. */
export type MemberListItem = {
  id: string;
  memberNo: string;
  lastName: string;
  firstName: string;
  email: string | null;
  mobile: string | null;
  propertyId: string | null;
  marketingOptIn: boolean;
  lineStatus: LineStatus;
  lineDisplayName: string | null;
  linePictureUrl: string | null;
  joinedAt: string;
  lastInteractionAt: string | null;
  tags: ListTag[];
};

/** Who: a saved segment, ad-hoc conditions, chosen members and/or search text (all optional, combined with AND). */
export type Audience = { segmentId?: string; definition?: SegmentDefinition; memberIds?: string[]; q?: string };

export type MemberSearchRequest = Audience & { sort: MemberSort; page: number; pageSize: number };
export type MemberSearchPage = { data: MemberListItem[]; page: number; pageSize: number; hasMore: boolean };

export type Stay = {
  id: string;
  propertyId: string;
  source: string;
  externalId: string | null;
  checkIn: string;
  checkOut: string;
  nights: number | null;
  roomType: string;
  rateCode: string;
  channel: string;
  amount: number | null;
  currency: string;
  status: StayStatus;
  createdAt: string;
};

export type StayInput = {
  propertyId: string;
  checkIn: string;
  checkOut: string;
  roomType?: string;
  rateCode?: string;
  channel?: string;
  amount?: number | null;
  status?: StayStatus;
};

export type Interaction = {
  id: string;
  occurredAt: string;
  type: string;
  actorType: string;
  actorRef: string;
  actorLabel: string;
  campaignId: string | null;
  actionId: string | null;
  tagId: string | null;
  details: Record<string, unknown>;
};

export const MERGEABLE_FIELDS = ['propertyId', 'lastName', 'firstName', 'gender', 'birthday', 'preferredLanguage', 'email', 'mobile', 'identity', 'marketingOptIn', 'notes', 'line'] as const;
export type MergeableField = (typeof MERGEABLE_FIELDS)[number];
export type MergeChoices = Partial<Record<MergeableField, 'keep' | 'merged'>>;

export type { TagSource };
