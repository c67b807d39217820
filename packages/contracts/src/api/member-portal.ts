import { z } from 'zod';
import { PORTAL_BUTTON_LABEL_MAX, PORTAL_REGISTRATION_FIELDS } from '../vocabulary.ts';
import { ZCalendarDate } from './fields.ts';
import { ZMemberInput } from './members.ts';

const ZField = z.strictObject({ enabled: z.boolean(), required: z.boolean() });

/** What the guest-facing member area asks and shows (seed 001 基本設定), one per tenant. GET/PUT /api/member-portal/settings */
export const ZPortalSettings = z
  .strictObject({
    registration: z.strictObject(Object.fromEntries(PORTAL_REGISTRATION_FIELDS.map((field) => [field, ZField])) as Record<(typeof PORTAL_REGISTRATION_FIELDS)[number], typeof ZField>),
    /** 會員專區-使用權限: guests must bind before they see the member area. */
    requireRegistration: z.boolean(),
    memberCard: z.strictObject({ showQrCode: z.boolean(), showBarcode: z.boolean() }),
    coverImageUrl: z.union([z.literal(''), z.url().max(500)]),
    introText: z.string().max(1000),
  })
  .refine((s) => Object.values(s.registration).every((f) => f.enabled || !f.required), { message: 'field.portal_required_disabled', path: ['registration'] })
  .refine((s) => s.registration.mobile.enabled && s.registration.mobile.required, { message: 'field.portal_mobile_required', path: ['registration', 'mobile'] });

/** GET /api/member-portal/status: binding confirms the mobile by SMS; without an SMS provider it is off. */
export const ZPortalStatus = z.object({ bindingAvailable: z.boolean() });

/** POST /api/member-portal/buttons; PATCH …/:id takes any part of it. */
export const ZButtonRequest = z.strictObject({
  label: z.string().trim().min(1, { error: 'field.required' }).max(PORTAL_BUTTON_LABEL_MAX),
  imageUrl: z.union([z.literal(''), z.url().max(500)]).optional(),
  linkUrl: z.url({ protocol: /^https?$/ }).max(500),
  sortOrder: z.number().int().min(0).max(1000).optional(),
  enabled: z.boolean().optional(),
});

export const ZButton = z.object({ id: z.string(), label: z.string(), imageUrl: z.string(), linkUrl: z.string(), sortOrder: z.number().int(), enabled: z.boolean(), createdAt: z.date() });
/** GET /api/member-portal/buttons */
export const ZButtonList = z.object({ data: z.array(ZButton) });

// The guest's side (LIFF): GET /api/liff/:tenantId/:channelId/config, …/me, …/code, …/bind, PATCH …/me.

export const ZPortalConfig = z.object({
  tenant: z.object({ name: z.string(), timezone: z.string() }),
  channel: z.object({ name: z.string(), liffId: z.string().nullable(), basicId: z.string().nullable() }),
  settings: ZPortalSettings,
  buttons: z.array(ZButton),
  /** False without an SMS provider: the mobile cannot be confirmed, so binding is off. */
  bindingAvailable: z.boolean(),
});

export const ZMemberCard = z.object({
  memberNo: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  marketingOptIn: z.boolean(),
  joinedAt: z.date(),
});

export const ZGuestView = z.object({
  guest: z.object({ displayName: z.string().nullable(), pictureUrl: z.string().nullable() }),
  member: ZMemberCard.nullable(),
  pendingReview: z.boolean(),
});

const memberFields = ZMemberInput.shape;

/** The server parses the mobile, e-mail and identity document further (as it does for staff). */
export const ZCodeRequest = z.strictObject({ mobile: memberFields.mobile.unwrap().unwrap() });
export const ZCodeSent = z.object({ expiresInSeconds: z.number().int() });

export const ZBindRequest = z.strictObject({
  lastName: memberFields.lastName,
  firstName: memberFields.firstName,
  mobile: memberFields.mobile.unwrap().unwrap(),
  identity: memberFields.identity.unwrap().unwrap().optional(),
  email: memberFields.email.unwrap().unwrap().optional(),
  birthday: ZCalendarDate.optional(),
  /** Absent when the guest did not touch the offers box: the consent on file (if any) stays as it is. */
  marketingOptIn: z.boolean().optional(),
  code: z.string().trim().regex(/^\d{6}$/, { error: 'field.code_format' }),
});

export const ZBindResponse = z.object({ status: z.enum(['linked', 'created', 'pending_review']), member: ZMemberCard.nullable() });

export const ZOptInRequest = z.strictObject({ marketingOptIn: z.boolean() });

// Staff: the binding review queue (GET /api/binding-reviews, POST …/:id/link | create | dismiss).

export const ZBindingReviewQuery = z.strictObject({ status: z.enum(['open', 'linked', 'created', 'dismissed']).default('open') });

/** A binding the server would not decide alone. */
export const ZBindingReview = z.object({
  id: z.string(),
  lineUserId: z.string(),
  lineDisplayName: z.string(),
  /**
   * What the guest typed, masked: `name`, `mobile`, `email`, `identity` (`<type>:<masked number>`), `birthday`,
   * `marketingOptIn` (null: the guest left the offers box as it was).
   */
  submitted: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
  /**
   * ambiguous: several members matched; conflict: the ID and the mobile point at different members, or the member has
   * another LINE account; name_mismatch: one member matched, but the name typed is not theirs (or none was typed).
   */
  reason: z.enum(['ambiguous', 'conflict', 'name_mismatch']),
  status: z.string(),
  candidates: z.array(z.object({ id: z.string(), memberNo: z.string(), lastName: z.string(), firstName: z.string(), mobile: z.string().nullable(), email: z.string().nullable(), identity: z.object({ type: z.string(), masked: z.string(), passportCountry: z.string().nullable() }).nullable() })),
  /**
   * Live candidates outside the account's properties (decision 0006): not listed, and while there are any the account
   * may not resolve the review (it cannot weigh members it does not see); group-level staff or the candidates' property do.
   */
  hiddenCandidates: z.number().int(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  resolvedMemberId: z.string().nullable(),
});
export const ZBindingReviewList = z.object({ data: z.array(ZBindingReview) });

export const ZReviewLinkRequest = z.strictObject({ memberId: z.uuid() });
export const ZReviewResolved = z.object({ memberId: z.string(), memberNo: z.string() });
