import { z } from 'zod';
import { GENDERS, IDENTITY_TYPES, LANGUAGES, LINE_STATUSES, MERGEABLE_FIELDS, STAY_PARTY_MAX, STAY_STATUSES } from '../vocabulary.ts';
import { ZCalendarDate, ZFilterTime } from './fields.ts';

const ZName = z.string().trim().max(100);

/** An identity document as typed. The server checks the number (checksum or shape) and normalises it. */
export const ZIdentityDocumentInput = z.strictObject({
  type: z.enum(IDENTITY_TYPES),
  number: z.string().max(64),
  passportCountry: z.string().trim().max(3).nullable().optional(),
});

/**
 * POST /api/members, PATCH /api/members/:id: absent fields stay as they are, null clears. The server parses e-mail,
 * mobile and identity document further (normalised forms, checksums).
 */
export const ZMemberInput = z.strictObject({
  propertyId: z.uuid().nullable().optional(),
  lastName: ZName.optional(),
  firstName: ZName.optional(),
  gender: z.enum(GENDERS).optional(),
  birthday: ZCalendarDate.nullable().optional(),
  preferredLanguage: z.enum(LANGUAGES).optional(),
  email: z.string().max(320).nullable().optional(),
  mobile: z.string().max(64).nullable().optional(),
  identity: ZIdentityDocumentInput.nullable().optional(),
  marketingOptIn: z.boolean().optional(),
  notes: z.string().max(5000).optional(),
});

/** GET /api/members/:id — contact details and the identity document come masked. */
export const ZMember = z.object({
  id: z.string(),
  memberNo: z.string(),
  propertyId: z.string().nullable(),
  lastName: z.string(),
  firstName: z.string(),
  gender: z.enum(GENDERS),
  birthday: z.string().nullable(),
  preferredLanguage: z.string(),
  email: z.string().nullable().describe('masked'),
  mobile: z.string().nullable().describe('masked'),
  identity: z.object({ type: z.string(), masked: z.string(), passportCountry: z.string().nullable() }).nullable(),
  marketingOptIn: z.boolean(),
  optInChangedAt: z.date().nullable(),
  optInSource: z.string(),
  notes: z.string(),
  line: z.object({
    userId: z.string().nullable(),
    displayName: z.string().nullable(),
    pictureUrl: z.string().nullable(),
    status: z.enum(LINE_STATUSES),
    followedAt: z.date().nullable(),
    statusChangedAt: z.date().nullable(),
  }),
  joinedAt: z.date(),
  lastInteractionAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  deletedAt: z.date().nullable(),
});

export const ZDeletedMember = ZMember.extend({ restorableUntil: z.date() });
/** GET /api/members/deleted */
export const ZDeletedMemberList = z.object({ data: z.array(ZDeletedMember) });
/** DELETE /api/members/:id: restorable until then. */
export const ZMemberDeletion = z.object({ restorableUntil: z.date() });

/** POST /api/members/:id/personal-data: the unmasked values. */
export const ZPersonalData = z.object({
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  identity: z.object({ type: z.string().nullable(), number: z.string(), passportCountry: z.string().nullable() }).nullable(),
});

/** POST /api/members/:id/merge: `mergedMemberId` is merged into `id`; `choices` says whose value each field keeps. */
export const ZMergeRequest = z.strictObject({
  mergedMemberId: z.uuid(),
  choices: z.partialRecord(z.enum(MERGEABLE_FIELDS), z.enum(['keep', 'merged'])).default({}),
});

/** Adults or children in a stay's room: a whole number from 0 to STAY_PARTY_MAX. */
const ZPartyCount = z.number().int().min(0).max(STAY_PARTY_MAX);

/** POST /api/members/:id/stays */
export const ZStayInput = z
  .strictObject({
    propertyId: z.uuid(),
    checkIn: ZCalendarDate,
    checkOut: ZCalendarDate,
    roomType: z.string().trim().max(50).optional(),
    rateCode: z.string().trim().max(50).optional(),
    channel: z.string().trim().max(50).optional(),
    amount: z.number().int().min(0).max(100_000_000).nullable().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
    status: z.enum(STAY_STATUSES).optional(),
    externalId: z.string().trim().max(100).nullable().optional(),
    adults: ZPartyCount.nullable().optional(),
    children: ZPartyCount.nullable().optional(),
  })
  .refine((s) => s.checkOut >= s.checkIn, { path: ['checkOut'], message: 'field.check_out_before_check_in' });

export const ZStay = z.object({
  id: z.string(),
  propertyId: z.string(),
  source: z.string(),
  externalId: z.string().nullable(),
  checkIn: z.string(),
  checkOut: z.string(),
  nights: z.number().int().nullable(),
  roomType: z.string(),
  rateCode: z.string(),
  channel: z.string(),
  amount: z.number().nullable(),
  currency: z.string(),
  status: z.enum(STAY_STATUSES),
  /** The party in the room; null when nobody recorded it (older imports, PMS rows without counts). */
  adults: z.number().int().nullable(),
  children: z.number().int().nullable(),
  createdAt: z.date(),
});
/** GET /api/members/:id/stays, newest first. */
export const ZStayList = z.object({ data: z.array(ZStay) });

/** One entry of a member's history. */
export const ZInteraction = z.object({
  id: z.string(),
  occurredAt: z.date(),
  type: z.string(),
  actorType: z.string(),
  actorRef: z.string(),
  actorLabel: z.string(),
  campaignId: z.string().nullable(),
  actionId: z.string().nullable(),
  tagId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

/** GET /api/members/:id/timeline, newest first. */
export const ZTimelineQuery = z.strictObject({
  before: ZFilterTime.optional(),
  /** With `before`: the id of the last entry seen, so entries sharing its timestamp are neither skipped nor repeated. */
  beforeId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZTimeline = z.object({ data: z.array(ZInteraction) });
