/** 德安 rows as docs/pms-dean-contract.md defines them (the simulator does not import the server). */
export type GuestRow = {
  GCUST_COD: string;
  SHOW_COD: string;
  HOTEL_COD: string | null;
  ALT_NAM: string | null;
  LAST_NAM: string | null;
  FIRST_NAM: string | null;
  SEX_TYP: string | null;
  BIRTH_DAT: string | null;
  CONTRY_COD: string | null;
  ID_NOS: string | null;
  CONTACT1_COD: string | null;
  CONTACT1_RMK: string | null;
  CONTACT2_COD: string | null;
  CONTACT2_RMK: string | null;
  CONTACT3_COD: string | null;
  CONTACT3_RMK: string | null;
  CONTACT4_COD: string | null;
  CONTACT4_RMK: string | null;
  MOBILE_NOS?: string | null;
  HOME_TEL?: string | null;
  OFFICE_TEL?: string | null;
  E_MAIL: string | null;
  DM_FLAG: string | null;
  MCUST_COD: string | null;
  CO_DEL_STA: string;
  INS_DAT: string;
  UPD_DAT: string;
};

export type StayRow = {
  STAY_KEY: string;
  IKEY: string;
  IKEY_SEQ_NOS: string;
  CI_SER: string;
  GCUST_COD: string;
  HOTEL_COD: string;
  RVRESERVE_NOS: string | null;
  CI_DAT: string;
  CO_DAT: string;
  ACI_DAT: string | null;
  ACO_DAT: string | null;
  ROOM_COD: string;
  ROOM_NOS: string | null;
  ORDER_STA: string;
  GUEST_STA: string | null;
  DEL_FLAG: string;
  /** ORDER_DT's party of the room (the line this guest's stay joins), null when never entered. */
  ADULT_QNT: number | null;
  CHILD_QNT: number | null;
  UPD_DAT: string;
};

export type StatusDialect = 'KTW' | 'BACCHUS';

export type Citizenship = 'tw' | 'resident' | 'foreign';

/** One real person behind PMS profiles and/or a LINE member: the ground truth. */
export type Person = {
  personId: string;
  householdId: string | null;
  citizenship: Citizenship;
  country: string;
  gender: 'M' | 'F';
  /** Chinese name (Taiwanese persons). */
  han: { surname: string; given: string } | null;
  latin: { last: string; first: string };
  birthDate: string;
  /** Checksum-valid national ID or resident number in use today. */
  taiwanId: string | null;
  /** A resident's old-format number, as PMS history holds it; converted residents have a new `taiwanId`. */
  oldResidentId: string | null;
  passport: { number: string; country: string } | null;
  /** Current mobile in E.164, if any; `oldMobile` before a change (stale in older profiles). */
  mobile: string | null;
  oldMobile: string | null;
  mobileChangedAt: number | null;
  email: string | null;
  /** Has profiles in the PMS. */
  stayer: boolean;
};

/** What a guest typed when becoming a LINE member (the CRM-side sample). */
export type CrmMember = {
  memberId: string;
  lineUserId: string;
  displayName: string;
  lastName: string | null;
  firstName: string | null;
  mobile: string | null;
  mobileVerified: boolean;
  idNumber: string | null;
  idCountry: string | null;
  birthDate: string | null;
};

export type TrapTag = 'household_phone' | 'hub_phone' | 'uin_converted' | 'stale_phone' | 'booker_name';

export type ProfileTruth = {
  personId: string;
  tags: string[];
  /** The person's own keys this profile holds in a recoverable form (what perfect normalisation would find). */
  keys: { taiwanId: string | null; passport: string | null; mobiles: string[] };
};

export type MemberTruth = {
  memberId: string;
  personId: string | null;
  traps: TrapTag[];
  /** The member gave a checksum-valid ID or an OTP-verified mobile. */
  usableKey: boolean;
  /** The member's person has a live profile sharing a usable key with the member (pms.md §4.7 "matchable"). */
  matchable: boolean;
  sharedKeys: Array<'id' | 'mobile'>;
};
