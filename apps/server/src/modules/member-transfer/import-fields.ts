import type { Locale } from '@innkeeper/contracts';

/**
 * What a column of an import file can mean, per kind of import, and how headers are recognised (Chinese and English,
 * any width, case, spacing or punctuation), so the upload can suggest a mapping the user only confirms.
 */

export type ImportKind = 'members' | 'stays';

export const MEMBER_IMPORT_FIELDS = [
  'memberNo', 'lastName', 'firstName', 'fullName', 'gender', 'birthday', 'email', 'mobile', 'identity', 'passportCountry',
  'marketingOptIn', 'property', 'preferredLanguage', 'notes', 'tags',
] as const;

export const STAY_IMPORT_FIELDS = [
  'memberNo', 'identity', 'mobile', 'email', 'property', 'checkIn', 'checkOut', 'roomType', 'rateCode', 'channel', 'amount',
  'currency', 'status', 'reservationNo', 'adults', 'children',
] as const;

export const IMPORT_FIELDS = [...new Set([...MEMBER_IMPORT_FIELDS, ...STAY_IMPORT_FIELDS])] as Array<(typeof MEMBER_IMPORT_FIELDS)[number] | (typeof STAY_IMPORT_FIELDS)[number]>;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field → 0-based column index in the file. */
export type ImportMapping = Partial<Record<ImportField, number>>;

/** The fields that identify a member; every import maps at least one, so re-importing the same file matches again. */
export const KEY_FIELDS = ['memberNo', 'identity', 'mobile', 'email'] as const satisfies readonly ImportField[];

export const REQUIRED_FIELDS: Record<ImportKind, readonly ImportField[]> = {
  members: [],
  stays: ['property', 'checkIn', 'checkOut', 'reservationNo'],
};

export function fieldsOf(kind: ImportKind): readonly ImportField[] {
  return kind === 'members' ? MEMBER_IMPORT_FIELDS : STAY_IMPORT_FIELDS;
}

export const FIELD_LABELS: Record<ImportField, Record<Locale, string>> = {
  memberNo: { 'zh-TW': '會員編號', en: 'Member no' },
  lastName: { 'zh-TW': '姓', en: 'Last name' },
  firstName: { 'zh-TW': '名', en: 'First name' },
  fullName: { 'zh-TW': '姓名', en: 'Full name' },
  gender: { 'zh-TW': '性別', en: 'Gender' },
  birthday: { 'zh-TW': '生日', en: 'Birthday' },
  email: { 'zh-TW': 'Email', en: 'Email' },
  mobile: { 'zh-TW': '手機', en: 'Mobile' },
  identity: { 'zh-TW': '身分證／護照號碼', en: 'ID or passport no' },
  passportCountry: { 'zh-TW': '護照國籍', en: 'Passport country' },
  marketingOptIn: { 'zh-TW': '接收優惠通知', en: 'Marketing opt-in' },
  property: { 'zh-TW': '館別', en: 'Property' },
  preferredLanguage: { 'zh-TW': '語言', en: 'Language' },
  notes: { 'zh-TW': '備註', en: 'Notes' },
  tags: { 'zh-TW': '標籤', en: 'Tags' },
  checkIn: { 'zh-TW': '入住日', en: 'Check-in' },
  checkOut: { 'zh-TW': '退房日', en: 'Check-out' },
  roomType: { 'zh-TW': '房型', en: 'Room type' },
  rateCode: { 'zh-TW': '房價代碼', en: 'Rate code' },
  channel: { 'zh-TW': '訂房管道', en: 'Channel' },
  amount: { 'zh-TW': '金額', en: 'Amount' },
  currency: { 'zh-TW': '幣別', en: 'Currency' },
  status: { 'zh-TW': '訂房狀態', en: 'Status' },
  reservationNo: { 'zh-TW': '訂房編號', en: 'Reservation no' },
  adults: { 'zh-TW': '大人', en: 'Adults' },
  children: { 'zh-TW': '小孩', en: 'Children' },
};

/** Recognised headers, in normalised form (see normaliseHeader). Exports use headers that are recognised here. */
const SYNONYMS: Record<ImportField, string[]> = {
  memberNo: ['會員編號', '會員號碼', '會員卡號', '會員代號', '會員id', 'memberno', 'membernumber', 'memberid', 'membershipno', 'membershipnumber'],
  lastName: ['姓', '姓氏', 'lastname', 'surname', 'familyname'],
  firstName: ['名', '名字', 'firstname', 'givenname'],
  fullName: ['姓名', '全名', '會員姓名', '客人姓名', '顧客姓名', '住客姓名', 'name', 'fullname', 'guestname', 'membername'],
  gender: ['性別', 'gender', 'sex'],
  birthday: ['生日', '出生日期', '出生年月日', 'birthday', 'birthdate', 'dateofbirth', 'dob'],
  email: ['電子信箱', '電子郵件', '電子郵件信箱', '電子郵件地址', '信箱', 'email', 'emailaddress', 'mail'],
  mobile: ['行動電話', '手機', '手機號碼', '行動電話號碼', '電話', '聯絡電話', 'mobile', 'mobilephone', 'mobileno', 'mobilenumber', 'phone', 'phonenumber', 'cellphone', 'cell', 'tel', 'telephone'],
  identity: [
    '身分證字號', '身份證字號', '身分證', '身份證', '身分證號碼', '身份證號碼', '身分證護照號碼', '身份證護照號碼', '身分證或護照號碼', '護照號碼', '護照',
    '證件號碼', '證號', '居留證號碼', '統一證號', 'id', 'idno', 'idnumber', 'idorpassportno', 'idpassportno', 'nationalid', 'passport', 'passportno', 'passportnumber',
  ],
  passportCountry: ['護照國籍', '國籍', '發照國', '簽發國', 'passportcountry', 'nationality', 'issuingcountry', 'country'],
  marketingOptIn: ['是否接收優惠通知', '接收優惠通知', '優惠通知', '訂閱', '是否訂閱', '訂閱電子報', '同意行銷', '行銷同意', 'optin', 'marketingoptin', 'subscribe', 'subscribed', 'newsletter'],
  property: ['館別', '館別代碼', '所屬館別', '館', '飯店', 'property', 'propertycode', 'hotel'],
  preferredLanguage: ['語言', '偏好語言', '慣用語言', 'language', 'preferredlanguage', 'lang'],
  notes: ['備註', '註記', 'notes', 'note', 'remarks', 'remark', 'memo', 'comment', 'comments'],
  tags: ['標籤', 'tags', 'tag', 'labels'],
  checkIn: ['入住日', '入住日期', '入住', '抵達日', 'checkin', 'checkindate', 'arrival', 'arrivaldate'],
  checkOut: ['退房日', '退房日期', '退房', '離店日', 'checkout', 'checkoutdate', 'departure', 'departuredate'],
  roomType: ['房型', '房型代碼', 'roomtype'],
  rateCode: ['房價代碼', '價格代碼', '專案代碼', 'ratecode', 'rateplan'],
  channel: ['訂房管道', '訂房來源', '管道', '通路', 'channel', 'source', 'bookingchannel'],
  amount: ['金額', '總金額', '消費金額', '房價', 'amount', 'total', 'revenue'],
  currency: ['幣別', 'currency'],
  status: ['訂房狀態', '狀態', 'status'],
  adults: ['大人', '大人數', '大人人數', '成人', '成人數', 'adults', 'adult', 'noofadults'],
  children: ['小孩', '小孩數', '小孩人數', '兒童', '兒童數', '孩童', 'children', 'child', 'kids', 'noofchildren'],
  reservationNo: ['訂房編號', '訂單編號', '訂房代號', '確認編號', 'reservationno', 'reservationnumber', 'reservationid', 'confirmationno', 'confirmationnumber', 'bookingno', 'bookingnumber', 'bookingid'],
};

/** Full-width → half-width, lower case, and without spaces, punctuation or a bracketed remark such as （必填）. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .toLowerCase()
    .replace(/[(（【[][^)）】\]]*[)）】\]]/g, '')
    .replace(/[\s\u3000_\-.:：*/／\\、,，'"#]+/g, '');
}

/** The suggested mapping: each field takes the first column whose header it recognises. */
export function suggestMapping(kind: ImportKind, headers: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const normalised = headers.map(normaliseHeader);
  for (const field of fieldsOf(kind)) {
    const index = normalised.findIndex((h) => h !== '' && SYNONYMS[field].includes(h));
    if (index >= 0 && !Object.values(mapping).includes(index)) mapping[field] = index;
  }
  return mapping;
}
