import { z } from 'zod';

const ZField = z.strictObject({ enabled: z.boolean(), required: z.boolean() });

/** What the guest-facing member area asks and shows (seed 001 基本設定), one per tenant. */
export const ZPortalSettings = z
  .strictObject({
    registration: z.strictObject({
      name: ZField,
      mobile: ZField,
      identity: ZField,
      email: ZField,
      birthday: ZField,
    }),
    /** 會員專區-使用權限: guests must bind before they see the member area. */
    requireRegistration: z.boolean(),
    memberCard: z.strictObject({ showQrCode: z.boolean(), showBarcode: z.boolean() }),
    coverImageUrl: z.union([z.literal(''), z.url().max(500)]),
    introText: z.string().max(1000),
  })
  .refine((s) => Object.values(s.registration).every((f) => f.enabled || !f.required), { message: 'field.portal_required_disabled', path: ['registration'] })
  .refine((s) => s.registration.mobile.enabled && s.registration.mobile.required, { message: 'field.portal_mobile_required', path: ['registration', 'mobile'] });

export type PortalSettings = z.infer<typeof ZPortalSettings>;

export const DEFAULT_PORTAL_SETTINGS: PortalSettings = {
  registration: {
    name: { enabled: true, required: true },
    // The mobile is confirmed by a one-time SMS code, and is one of the two keys bindings match on.
    mobile: { enabled: true, required: true },
    identity: { enabled: true, required: false },
    email: { enabled: true, required: false },
    birthday: { enabled: true, required: false },
  },
  requireRegistration: true,
  memberCard: { showQrCode: true, showBarcode: true },
  coverImageUrl: '',
  introText: '加入會員即可收到專屬住房優惠與生日禮遇。',
};
