import { z } from 'zod';
import { ZCalendarDate } from '../../core/validation.ts';
import { ZMemberInput } from '../members/index.ts';
import { ZPortalSettings } from './portal-settings.ts';

export const ZLiffParams = z.object({ tenantId: z.uuid(), channelId: z.uuid() });

const memberFields = ZMemberInput.shape;

export const ZCodeRequest = z.strictObject({ mobile: memberFields.mobile.unwrap().unwrap() });

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

export const ZOptInRequest = z.strictObject({ marketingOptIn: z.boolean() });

export const ZButtonRequest = z.strictObject({
  label: z.string().trim().min(1, { error: 'field.required' }).max(20),
  imageUrl: z.union([z.literal(''), z.url().max(500)]).optional(),
  linkUrl: z.url({ protocol: /^https?$/ }).max(500),
  sortOrder: z.number().int().min(0).max(1000).optional(),
  enabled: z.boolean().optional(),
});

export const ZButton = z.object({ id: z.string(), label: z.string(), imageUrl: z.string(), linkUrl: z.string(), sortOrder: z.number().int(), enabled: z.boolean(), createdAt: z.date() });

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

export const ZBindResponse = z.object({ status: z.enum(['linked', 'created', 'pending_review']), member: ZMemberCard.nullable() });

export { ZPortalSettings };
