import type { ZPortalSettings } from '@innkeeper/contracts/api';
import type { z } from 'zod';

// The settings' shape and checks are the wire contract (ZPortalSettings in @innkeeper/contracts/api).
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
