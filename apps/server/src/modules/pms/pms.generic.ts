import { PMS_GENERIC_FIELDS } from '@innkeeper/contracts/api';
import type { Sheet } from '../member-transfer/index.ts';
import type { DeanFileRecord } from './pms.file-rows.ts';
import { cleanName, isPmsTime, normaliseIdNos, normalisePhoneField } from './pms.normalise.ts';

/**
 * A generic file (any PMS's CSV/XLSX export) turned into 德安 records through the column mapping staff chose, so the
 * sync's own normaliser, upserts and matcher take it (pms.files.ts): each row is a guest profile, and a stay when it
 * has check-in and check-out dates. The mapping names the file's columns by their header (so a saved mapping fits the
 * next month's export of the same PMS).
 */

export const GENERIC_FIELDS = PMS_GENERIC_FIELDS;
export type GenericField = (typeof GENERIC_FIELDS)[number];
export type GenericMapping = Partial<Record<GenericField, string>>;

/** Header words (lower case, spaces and punctuation dropped) that suggest a field, in Chinese and English. */
const SYNONYMS: Record<GenericField, string[]> = {
  guestKey: ['guestkey', 'guestid', 'profileid', 'customerid', 'gcustcod', '客戶編號', '住客編號', '客編', '顧客編號', '房客編號', '旅客編號', '客戶代號', '住客代號'],
  fullName: ['fullname', 'name', 'guestname', 'altnam', '姓名', '中文姓名', '住客姓名'],
  lastName: ['lastname', 'surname', 'familyname', 'lastnam', '姓'],
  firstName: ['firstname', 'givenname', 'firstnam', '名'],
  gender: ['gender', 'sex', 'sextyp', '性別'],
  birthDate: ['birthdate', 'birthday', 'dateofbirth', 'dob', 'birthdat', '生日', '出生日期'],
  idNumber: ['idnumber', 'nationalid', 'passport', 'passportnumber', 'idnos', 'id', '身分證', '身分證字號', '證件號碼', '護照號碼'],
  country: ['country', 'nationality', 'contrycod', '國籍'],
  mobile: ['mobile', 'mobilephone', 'cellphone', 'cell', 'mobilenos', '手機', '行動電話', '手機號碼'],
  phone: ['phone', 'telephone', 'tel', 'hometel', '電話', '市話'],
  email: ['email', 'e-mail', 'mail', 'emailaddress', '電子郵件', '信箱'],
  updatedAt: ['updatedat', 'modified', 'lastmodified', 'upddat', '異動時間', '更新時間'],
  stayKey: ['stayid', 'reservationid', 'bookingid', 'confirmation', 'staykey', '訂單編號', '訂房編號', '住宿編號'],
  checkIn: ['checkin', 'arrival', 'arrivaldate', 'cidat', '入住日', '入住日期', '到達日'],
  checkOut: ['checkout', 'departure', 'departuredate', 'codat', '退房日', '退房日期', '離店日'],
  roomType: ['roomtype', 'roomcode', 'roomcod', '房型'],
  hotelCode: ['hotel', 'hotelcode', 'property', 'propertycode', 'hotelcod', '館別', '飯店'],
  roomNumber: ['room', 'roomnumber', 'roomno', 'roomnos', '房號'],
  adults: ['adults', 'adult', 'adultqnt', 'noofadults', '大人', '成人', '大人數', '成人數', '大人人數'],
  children: ['children', 'child', 'kids', 'childqnt', 'noofchildren', '小孩', '兒童', '孩童', '小孩數', '兒童數', '小孩人數'],
};

const simplify = (header: string) => header.toLowerCase().replace(/[\s_\-./()（）:：]/g, '');

/** A first mapping from the headers (each column used once); staff check and change it. */
export function suggestMapping(headers: string[]): GenericMapping {
  const mapping: GenericMapping = {};
  const used = new Set<string>();
  for (const field of GENERIC_FIELDS) {
    const header = headers.find((h) => h !== '' && !used.has(h) && SYNONYMS[field].includes(simplify(h)));
    if (header) {
      mapping[field] = header;
      used.add(header);
    }
  }
  return mapping;
}

/** Mapped columns the file does not have (a saved mapping from another export). */
export function unknownColumns(mapping: GenericMapping, headers: string[]): string[] {
  const have = new Set(headers);
  return Object.values(mapping).filter((column): column is string => Boolean(column) && !have.has(column!));
}

/**
 * A file without a guest number (a front-desk list, a spreadsheet kept by hand) is imported with the guest number made
 * from the guest's ID, else mobile and name: staff map the ID (or mobile) column as 住客編號 too. The cell itself is not
 * the number — an ID would then be stored and shown in plain as a profile key, and 0912-345-678 and +886912345678
 * would be two guests — but a keyed hash of the normalised value (blind index), the same for the same guest in every
 * later file. A mobile is taken with the name: a household sharing one phone stays several guests.
 */
export function derivesGuestKey(mapping: GenericMapping): boolean {
  return Boolean(mapping.guestKey) && (mapping.guestKey === mapping.idNumber || mapping.guestKey === mapping.mobile);
}

export type GuestKeyParts = { id: string | null; country: string | null; mobile: string | null; name: string | null };
/** The guest number for a row of a file without one, or null when the row has neither a usable ID nor a mobile. */
export type GuestKeyDeriver = (parts: GuestKeyParts) => string | null;

export function createGuestKeyDeriver(blindIndex: (value: string, purpose: string) => string, tenantId: string): GuestKeyDeriver {
  // Keyed per hotel group: the number is shown to staff (the profile, the conflicts, the change file), and one
  // server-wide index would give the same guest the same number in every hotel group, so two could tell they share him.
  const purpose = `pms-generic-guest:${tenantId}`;
  return ({ id, country, mobile, name }) => {
    const identity = normaliseIdNos(id, country);
    if (identity.ok) return `ID-${blindIndex(identity.key.value, purpose).slice(0, 24)}`;
    const phone = normalisePhoneField(mobile, 'mobile').mobiles.find((m) => !m.ownerDoubt);
    if (!phone) return null;
    const who = (cleanName(name) ?? '').replace(/\s/g, '').toUpperCase();
    return `MB-${blindIndex(`${phone.e164}|${who}`, purpose).slice(0, 24)}`;
  };
}

const GENDER: Record<string, string> = { m: 'M', male: 'M', 男: 'M', f: 'F', female: 'F', 女: 'F' };

/** `YYYY-MM-DD` for a few common date spellings; anything else is passed on for the sync to reject with a reason. */
function isoDate(text: string): string {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : text;
}

/**
 * The rows as 德安 profile and stay records. `updatedAt` is the mapped column when it holds a `YYYY-MM-DD HH:mm:ss`
 * time, else `importedAt` (Taipei local time): a later import of the same guest is the newer version.
 */
export function toDeanRecords(
  sheet: Pick<Sheet, 'headers' | 'rows'>,
  mapping: GenericMapping,
  importedAt: string,
  deriveKey?: GuestKeyDeriver,
): { guests: DeanFileRecord[]; stays: DeanFileRecord[] } {
  const index = new Map(sheet.headers.map((h, i) => [h, i]));
  const derived = derivesGuestKey(mapping);
  if (derived && !deriveKey) throw new Error('A guest number made from the ID or mobile needs the deriver');
  const guests: DeanFileRecord[] = [];
  const stays: DeanFileRecord[] = [];
  for (const row of sheet.rows) {
    const value = (field: GenericField): string | null => {
      const column = mapping[field];
      const at = column === undefined ? undefined : index.get(column);
      const cell = at === undefined ? '' : (row.cells[at] ?? '').trim();
      return cell === '' ? null : cell;
    };
    const fullName = value('fullName') ?? ([value('lastName'), value('firstName')].filter(Boolean).join(' ') || null);
    const key = derived ? deriveKey!({ id: value('idNumber'), country: value('country'), mobile: value('mobile'), name: fullName }) : value('guestKey');
    const updated = value('updatedAt');
    const updDat = updated && isPmsTime(updated) ? updated : importedAt;
    const gender = value('gender');
    const birth = value('birthDate');
    guests.push({
      rowNumber: row.rowNumber,
      record: {
        GCUST_COD: key,
        ALT_NAM: value('fullName'),
        LAST_NAM: value('lastName'),
        FIRST_NAM: value('firstName'),
        SEX_TYP: gender ? (GENDER[gender.toLowerCase()] ?? null) : null,
        BIRTH_DAT: birth ? isoDate(birth) : null,
        CONTRY_COD: value('country'),
        ID_NOS: value('idNumber'),
        MOBILE_NOS: value('mobile'),
        HOME_TEL: value('phone'),
        E_MAIL: value('email'),
        CO_DEL_STA: 'N',
        UPD_DAT: updDat,
      },
    });
    const checkIn = value('checkIn');
    const checkOut = value('checkOut');
    if (!checkIn && !checkOut) continue;
    const ci = checkIn ? isoDate(checkIn) : null;
    const co = checkOut ? isoDate(checkOut) : null;
    const hotel = value('hotelCode');
    const today = importedAt.slice(0, 10);
    // The PMS's status is not mapped (every PMS spells it differently): it follows from the dates, in the KTW codes
    // both dialects share (D checked out, I in house, N reserved).
    const status = co && co < today ? 'D' : ci && ci <= today ? 'I' : 'N';
    stays.push({
      rowNumber: row.rowNumber,
      record: {
        STAY_KEY: value('stayKey') ?? (key && ci ? [key, ci, hotel ?? ''].join('|') : null),
        GCUST_COD: key,
        HOTEL_COD: hotel,
        CI_DAT: ci,
        CO_DAT: co,
        ROOM_COD: value('roomType'),
        ROOM_NOS: value('roomNumber'),
        ORDER_STA: status,
        DEL_FLAG: 'N',
        ADULT_QNT: value('adults'),
        CHILD_QNT: value('children'),
        UPD_DAT: updDat,
      },
    });
  }
  return { guests, stays };
}
