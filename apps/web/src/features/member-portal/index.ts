/** The member portal's door: its settings tab, and the portal's shapes that the guest page (liff) shows. */
export type * from './types.ts';
export { BUTTON_LABEL_MAX, REGISTRATION_FIELDS } from './types.ts';
export { MemberPortalTab } from './components/MemberPortalTab.tsx';
