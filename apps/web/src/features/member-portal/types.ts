/** The member area's settings and buttons, shared by the staff pages and the guest LIFF page (types only). */

export const REGISTRATION_FIELDS = ['name', 'mobile', 'identity', 'email', 'birthday'] as const;
export type RegistrationField = (typeof REGISTRATION_FIELDS)[number];

export type FieldSetting = { enabled: boolean; required: boolean };

/** GET/PUT /api/member-portal/settings (server: portal-settings.ts). */
export type PortalSettings = {
  registration: Record<RegistrationField, FieldSetting>;
  /** 會員專區-使用權限: guests must bind before they see the member area. */
  requireRegistration: boolean;
  memberCard: { showQrCode: boolean; showBarcode: boolean };
  coverImageUrl: string;
  introText: string;
};

export type PortalButton = { id: string; label: string; imageUrl: string; linkUrl: string; sortOrder: number; enabled: boolean; createdAt: string };

export type PortalButtonInput = { label: string; imageUrl: string; linkUrl: string; sortOrder: number; enabled: boolean };

export const BUTTON_LABEL_MAX = 20;
