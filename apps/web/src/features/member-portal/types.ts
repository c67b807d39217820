import type { RequestBody, ResponseBody, ZButton, ZButtonRequest, ZPortalSettings } from '@innkeeper/contracts/api';

/** The member area's settings and buttons, shared by the staff pages and the guest LIFF page (types only). */
// The routes' bodies and answers, derived from the server's schemas (packages/contracts/src/api); types only.

export { PORTAL_BUTTON_LABEL_MAX as BUTTON_LABEL_MAX, PORTAL_REGISTRATION_FIELDS as REGISTRATION_FIELDS } from '@innkeeper/contracts';
export type { PortalRegistrationField as RegistrationField } from '@innkeeper/contracts';

/** GET/PUT /api/member-portal/settings */
export type PortalSettings = ResponseBody<typeof ZPortalSettings>;
export type FieldSetting = PortalSettings['registration']['name'];

export type PortalButton = ResponseBody<typeof ZButton>;
export type PortalButtonInput = RequestBody<typeof ZButtonRequest>;
