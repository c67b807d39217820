import { z } from 'zod';
import { ZCalendarDate, ZFilterTime } from '../../core/validation.ts';
import { ZEmailAddress, ZMobile, parseIdentityDocument, identityDocumentMessageKey } from './identity/index.ts';
import { MERGEABLE_FIELDS } from './members.service.ts';

export const ZMemberIdParams = z.object({ memberId: z.uuid() });

const ZName = z.string().trim().max(100);

/** An identity document as typed: validated by checksum (IDs) or shape (passports) and normalised. */
export const ZIdentityInput = z
  .strictObject({
    type: z.enum(['national_id', 'resident_certificate', 'passport']),
    number: z.string().max(64),
    passportCountry: z.string().trim().max(3).nullable().optional(),
  })
  .transform((input, ctx) => {
    const result = parseIdentityDocument(input.number, input.type, input.passportCountry ? { issuingCountry: input.passportCountry } : {});
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', path: [result.reason === 'country' ? 'passportCountry' : 'number'], message: input.number.trim() === '' ? 'field.required' : identityDocumentMessageKey(result.reason, input.type) });
      return z.NEVER;
    }
    return { type: result.kind, number: result.value, passportCountry: result.kind === 'passport' ? (result.issuingCountry ?? null) : null };
  });

export const ZMemberInput = z.strictObject({
  propertyId: z.uuid().nullable().optional(),
  lastName: ZName.optional(),
  firstName: ZName.optional(),
  gender: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  birthday: ZCalendarDate.nullable().optional(),
  preferredLanguage: z.enum(['zh-TW', 'en', 'ja', 'ko', 'other']).optional(),
  email: ZEmailAddress.nullable().optional(),
  mobile: ZMobile.transform((m) => m.e164).nullable().optional(),
  identity: ZIdentityInput.nullable().optional(),
  marketingOptIn: z.boolean().optional(),
  notes: z.string().max(5000).optional(),
});

/** A new member needs something to know the guest by: a name, a mobile, an e-mail address or an identity document. */
export const ZNewMember = ZMemberInput.refine((m) => Boolean(m.lastName || m.firstName || m.mobile || m.email || m.identity), { path: ['lastName'], message: 'field.member_needs_a_key' });

export const ZMember = z.object({
  id: z.string(),
  memberNo: z.string(),
  propertyId: z.string().nullable(),
  lastName: z.string(),
  firstName: z.string(),
  gender: z.enum(['female', 'male', 'other', 'unknown']),
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
    status: z.enum(['following', 'blocked', 'never']),
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

export const ZPersonalData = z.object({
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  identity: z.object({ type: z.string().nullable(), number: z.string(), passportCountry: z.string().nullable() }).nullable(),
});

export const ZMergeRequest = z.strictObject({
  mergedMemberId: z.uuid(),
  choices: z.partialRecord(z.enum(MERGEABLE_FIELDS), z.enum(['keep', 'merged'])).default({}),
});

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
    status: z.enum(['booked', 'in_house', 'stayed', 'cancelled', 'no_show']).optional(),
    externalId: z.string().trim().max(100).nullable().optional(),
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
  status: z.string(),
  createdAt: z.date(),
});

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

export const ZTimelineQuery = z.strictObject({
  before: ZFilterTime.optional(),
  /** With `before`: the id of the last entry seen, so entries sharing its timestamp are neither skipped nor repeated. */
  beforeId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
