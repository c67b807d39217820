/**
 * 德安's records as docs/pms-dean-contract.md defines them: column names and raw values exactly as the PMS holds
 * them. Nothing here cleans anything; pms.normalise.ts does.
 */
type Text = string | null | undefined;

export type DeanGuestRow = {
  GCUST_COD: string;
  UPD_DAT: string;
  SHOW_COD?: Text;
  HOTEL_COD?: Text;
  ALT_NAM?: Text;
  LAST_NAM?: Text;
  FIRST_NAM?: Text;
  SEX_TYP?: Text;
  BIRTH_DAT?: Text;
  CONTRY_COD?: Text;
  ID_NOS?: Text;
  CONTACT1_COD?: Text;
  CONTACT1_RMK?: Text;
  CONTACT2_COD?: Text;
  CONTACT2_RMK?: Text;
  CONTACT3_COD?: Text;
  CONTACT3_RMK?: Text;
  CONTACT4_COD?: Text;
  CONTACT4_RMK?: Text;
  MOBILE_NOS?: Text;
  HOME_TEL?: Text;
  OFFICE_TEL?: Text;
  E_MAIL?: Text;
  DM_FLAG?: Text;
  MCUST_COD?: Text;
  CO_DEL_STA?: Text;
  INS_DAT?: Text;
};

export type DeanStayRow = {
  STAY_KEY: string;
  GCUST_COD: string;
  UPD_DAT: string;
  IKEY?: Text;
  IKEY_SEQ_NOS?: Text;
  CI_SER?: Text;
  HOTEL_COD?: Text;
  RVRESERVE_NOS?: Text;
  CI_DAT: string;
  CO_DAT: string;
  ACI_DAT?: Text;
  ACO_DAT?: Text;
  ROOM_COD?: Text;
  ROOM_NOS?: Text;
  ORDER_STA?: Text;
  GUEST_STA?: Text;
  DEL_FLAG?: Text;
  /** ORDER_DT's party of the room: Oracle NUMBERs (JSON numbers over HTTP, text in a file); null when not entered. */
  ADULT_QNT?: Text | number;
  CHILD_QNT?: Text | number;
};

export type StayStatus = 'reserved' | 'in_house' | 'checked_out' | 'cancelled' | 'no_show' | 'unknown';
export type StatusDialect = 'KTW' | 'BACCHUS';
export type StatusTable = { orderSta: Record<string, StayStatus>; guestSta: Record<string, StayStatus> };

/**
 * The two code dialects seen in public 德安 material (pms.md §1.2; contract §7). Assumptions until each
 * installation's table is confirmed; a connection overrides any code. In the Bacchus dialect GUEST_STA decides
 * whether a live order is in house or checked out.
 */
export const STATUS_DIALECTS: Record<StatusDialect, StatusTable> = {
  KTW: {
    orderSta: { N: 'reserved', O: 'reserved', R: 'reserved', I: 'in_house', D: 'checked_out', C: 'cancelled', S: 'no_show' },
    guestSta: {},
  },
  BACCHUS: {
    orderSta: { N: 'reserved', O: 'reserved', W: 'reserved', I: 'in_house', D: 'checked_out', X: 'cancelled', S: 'no_show' },
    guestSta: { K: 'in_house', O: 'in_house', E: 'checked_out', X: 'cancelled' },
  },
};

/** The stay status for raw codes; `unknown` (with the raw code kept by the caller) when the table lacks them. */
export function mapStayStatus(row: Pick<DeanStayRow, 'ORDER_STA' | 'GUEST_STA'>, table: StatusTable, overrides: Record<string, StayStatus> = {}): StayStatus {
  const order = (row.ORDER_STA ?? '').trim().toUpperCase();
  const guest = (row.GUEST_STA ?? '').trim().toUpperCase();
  if (overrides[`ORDER_STA:${order}`]) return overrides[`ORDER_STA:${order}`]!;
  if (guest && overrides[`GUEST_STA:${guest}`]) return overrides[`GUEST_STA:${guest}`]!;
  const byOrder = table.orderSta[order];
  const byGuest = guest ? table.guestSta[guest] : undefined;
  if (byOrder === 'cancelled' || byOrder === 'no_show') return byOrder;
  return byGuest ?? byOrder ?? 'unknown';
}
