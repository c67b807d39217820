import { describe, expect, it } from 'vitest';
import { mapStayStatus, STATUS_DIALECTS } from '../pms.dean.ts';
import { boundDeanRow, cleanName, isPmsTime, MAX_FIELD_LENGTH, normaliseCountry, normaliseDeanProfile, normaliseIdNos, normalisePhoneField, parseBirthDate } from '../pms.normalise.ts';

describe('normaliseIdNos: ID_NOS to a key, or why not', () => {
  it.each([
    ['F220138576', 'national_id', 'F220138576'],
    ['  f220138576 ', 'national_id', 'F220138576'], // trim, lower case
    ['Ｆ２２０１３８５７６', 'national_id', 'F220138576'], // full width
    ['F 220-138-576', 'national_id', 'F220138576'], // inner separators
    ['F２２０　１３８５７６', 'national_id', 'F220138576'], // ideographic space
    ['A800000014', 'resident_new', 'A800000014'],
    ['a912345673', 'resident_new', 'A912345673'],
    ['AC01234567', 'resident_old', 'AC01234567'],
    ['ad12345671', 'resident_old', 'AD12345671'],
  ])('%s is a %s', (raw, format, value) => {
    expect(normaliseIdNos(raw, 'TWN')).toEqual({ ok: true, key: { format, value } });
  });

  it('a checksum-valid Taiwan number is a Taiwan key whatever CONTRY_COD says (a resident foreigner)', () => {
    expect(normaliseIdNos('FC10293846', 'JPN')).toEqual({ ok: true, key: { format: 'resident_old', value: 'FC10293846' } });
    expect(normaliseIdNos('F910293840', null)).toEqual({ ok: true, key: { format: 'resident_new', value: 'F910293840' } });
  });

  it.each([
    ['F220138577', 'checksum'], // one digit off
    ['f220138577', 'checksum'],
    ['AC01234568', 'checksum'], // old resident number with a typo
    ['A80000001４', 'ok'], // control: full-width last digit is still the valid number
  ])('%s → %s', (raw, reason) => {
    const result = normaliseIdNos(raw, 'TWN');
    if (reason === 'ok') expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, reason });
  });

  it.each([
    ['A12345****'],
    ['A12＊＊＊＊789'],
    ['F22XXXX576'],
    ['F22●●●●576'],
  ])('%s is masked, never a key', (raw) => {
    expect(normaliseIdNos(raw, 'TWN')).toEqual({ ok: false, reason: 'masked' });
  });

  it.each([['A123456789'], ['a 123 456 789'], ['0000000000'], ['NA'], ['n/a'], ['無'], ['-'], ['B111111111'], ['123456789']])('%s is a placeholder', (raw) => {
    expect(normaliseIdNos(raw, 'TWN')).toEqual({ ok: false, reason: 'placeholder' });
  });

  it('blank is empty', () => {
    expect(normaliseIdNos('   ', 'TWN')).toEqual({ ok: false, reason: 'empty' });
    expect(normaliseIdNos(null)).toEqual({ ok: false, reason: 'empty' });
  });

  it('passports: a foreign country and a passport shape; the country is kept in the key', () => {
    expect(normaliseIdNos(' tr 1234567 ', 'JPN')).toEqual({ ok: true, key: { format: 'passport', value: 'TR1234567', issuingCountry: 'JPN' } });
    expect(normaliseIdNos('Ｅ１２３９８７６５', 'us')).toEqual({ ok: true, key: { format: 'passport', value: 'E12398765', issuingCountry: 'USA' } });
    expect(normaliseIdNos('E12345678', 'USA')).toEqual({ ok: false, reason: 'placeholder' });
    // A Taiwan passport is 9 digits.
    expect(normaliseIdNos('310298765', 'TWN')).toEqual({ ok: true, key: { format: 'passport', value: '310298765', issuingCountry: 'TWN' } });
    expect(normaliseIdNos('PASSPORT', 'JPN')).toEqual({ ok: false, reason: 'format' });
  });

  it('without a country, a value that is not a Taiwan number is unknown, never a key (pms.md §4.3)', () => {
    expect(normaliseIdNos('TR1234567', null)).toEqual({ ok: false, reason: 'unknown' });
    expect(normaliseIdNos('TR1234567', 'TWN')).toEqual({ ok: false, reason: 'format' });
  });

  it('CONTRY_COD as front desks type it', () => {
    expect(normaliseCountry('TW')).toBe('TWN');
    expect(normaliseCountry(' twn ')).toBe('TWN');
    expect(normaliseCountry('中華民國')).toBe('TWN');
    expect(normaliseCountry('R.O.C.')).toBe('TWN');
    expect(normaliseCountry('JP')).toBe('JPN');
    expect(normaliseCountry('日本')).toBeUndefined();
    expect(normaliseCountry('')).toBeUndefined();
  });
});

describe('normalisePhoneField: every way a mobile is written, to E.164', () => {
  it.each([
    '0912345670',
    '0912-345-670',
    '0912 345 670',
    '０９１２３４５６７０',
    '０９１２－３４５－６７０',
    '+886912345670',
    '+886 912 345 670',
    '+886-912-345-670',
    '+8860912345670',
    '+886 (0)912-345-670',
    '886912345670',
    '8860912345670',
    '00886912345670',
    '002886912345670',
    'tel:+886-912-345-670',
    '912345670',
    ' 0912345670 ',
  ])('%s', (raw) => {
    const result = normalisePhoneField(raw, 'CONTACT1_RMK');
    expect(result.mobiles.map((m) => m.e164)).toEqual(['+886912345670']);
    expect(result.rejected).toEqual([]);
  });

  it('takes Unicode dashes as separators, not as a note', () => {
    expect(normalisePhoneField('0912‐345‐670', 'X').mobiles).toEqual([{ e164: '+886912345670', sourceField: 'X', repaired: false, ownerDoubt: false }]);
    expect(normalisePhoneField('0912—345—670', 'X').mobiles).toEqual([{ e164: '+886912345670', sourceField: 'X', repaired: false, ownerDoubt: false }]);
  });

  it('marks inferred digits as repaired', () => {
    expect(normalisePhoneField('912345670', 'X').mobiles[0]!.repaired).toBe(true);
    expect(normalisePhoneField('00886912345670', 'X').mobiles[0]!.repaired).toBe(true);
    expect(normalisePhoneField('0912-345-670', 'X').mobiles[0]!.repaired).toBe(false);
  });

  it.each([
    ['0912345670 / 0922333441', ['+886912345670', '+886922333441']],
    ['0912345670,0922333441', ['+886912345670', '+886922333441']],
    ['0912345670、0922333441', ['+886912345670', '+886922333441']],
    ['0912345670；0922333441', ['+886912345670', '+886922333441']],
    ['0912345670或0922333441', ['+886912345670', '+886922333441']],
  ])('splits %s', (raw, expected) => {
    expect(normalisePhoneField(raw, 'CONTACT1_RMK').mobiles.map((m) => m.e164)).toEqual(expected);
  });

  it('a note naming someone else marks the number as perhaps not the guest’s', () => {
    const [mom] = normalisePhoneField('0912345670(媽媽)', 'CONTACT1_RMK').mobiles;
    expect(mom).toMatchObject({ e164: '+886912345670', ownerDoubt: true, note: '媽媽' });
    const [office] = normalisePhoneField('0912345670 公司', 'CONTACT1_RMK').mobiles;
    expect(office).toMatchObject({ e164: '+886912345670', ownerDoubt: true });
    const [own] = normalisePhoneField('0912345670(本人)', 'CONTACT1_RMK').mobiles;
    expect(own).toMatchObject({ e164: '+886912345670', ownerDoubt: false, note: '本人' });
  });

  it('an extension is not part of the number', () => {
    expect(normalisePhoneField('02-2345-6781 轉 5', 'CONTACT3_RMK')).toEqual({ mobiles: [], others: ['+886223456781'], rejected: [] });
  });

  it('landlines are kept as display data, never keys', () => {
    expect(normalisePhoneField('(02)2345-6781', 'CONTACT2_RMK')).toEqual({ mobiles: [], others: ['+886223456781'], rejected: [] });
    expect(normalisePhoneField('04-2345-6781', 'CONTACT1_RMK').mobiles).toEqual([]);
  });

  it('foreign mobiles', () => {
    expect(normalisePhoneField('+81 90-1234-5678', 'CONTACT1_RMK').mobiles.map((m) => m.e164)).toEqual(['+819012345678']);
    expect(normalisePhoneField('0081 90 1234 5678', 'CONTACT1_RMK').mobiles.map((m) => m.e164)).toEqual(['+819012345678']);
  });

  it.each([
    ['0912-***-670', 'masked'],
    ['0912xxx670', 'masked'],
    ['0900000000', 'placeholder'],
    ['0911111111', 'placeholder'],
    ['0912345678', 'placeholder'], // the number everyone types as an example
    ['0000000000', 'placeholder'],
    ['0912-345-67', 'invalid'], // truncated: never "fixed"
    ['09123456701', 'invalid'], // one digit too many
    ['abc', 'invalid'],
  ])('%s is rejected as %s', (raw, reason) => {
    expect(normalisePhoneField(raw, 'CONTACT1_RMK')).toEqual({ mobiles: [], others: [], rejected: [{ part: raw, reason }] });
  });

  it('blank fields give nothing', () => {
    expect(normalisePhoneField('  ', 'X')).toEqual({ mobiles: [], others: [], rejected: [] });
    expect(normalisePhoneField(null, 'X')).toEqual({ mobiles: [], others: [], rejected: [] });
  });
});

describe('cleanName', () => {
  it.each([['booking'], ['Agoda'], ['GUEST'], ['旅客'], ['先生'], ['N/A'], ['  '], ['x']])('%s is a filler', (raw) => {
    expect(cleanName(raw)).toBeNull();
  });
  it('keeps real names, half-width and single-spaced', () => {
    expect(cleanName(' 王　小明 ')).toBe('王 小明');
    expect(cleanName('ＷＡＮＧ  ＨＳＩＡＯ')).toBe('WANG HSIAO');
  });
});

describe('normaliseDeanProfile', () => {
  const row = {
    GCUST_COD: 'HFD000000000310001  ',
    UPD_DAT: '2026-12-04 09:13:40',
    ALT_NAM: '王小明',
    LAST_NAM: 'WANG',
    FIRST_NAM: 'HSIAO MING',
    SEX_TYP: 'M',
    BIRTH_DAT: '1985-03-02',
    CONTRY_COD: 'TWN',
    ID_NOS: 'f220138576',
    CONTACT1_COD: '01',
    CONTACT1_RMK: '0912-345-670 / 0922333441(太太)',
    CONTACT2_COD: '02',
    CONTACT2_RMK: '02-2345-6781',
    CONTACT3_COD: '03',
    CONTACT3_RMK: '+886912345670',
    CONTACT4_COD: '05',
    CONTACT4_RMK: 'wang@example.com',
    E_MAIL: ' Wang@Example.COM ',
    DM_FLAG: 'Y',
    MCUST_COD: 'HFD000000000310001',
    CO_DEL_STA: 'N',
  };

  it('reads every slot, keeps each mobile once, and never treats DM_FLAG=Y as consent', () => {
    const p = normaliseDeanProfile(row);
    expect(p.externalId).toBe('HFD000000000310001');
    expect(p.id).toEqual({ format: 'national_id', value: 'F220138576' });
    expect(p.mobiles.map((m) => [m.e164, m.ownerDoubt])).toEqual([
      ['+886912345670', false],
      ['+886922333441', true],
    ]);
    expect(p.landlines).toEqual(['+886223456781']);
    expect(p.email).toBe('wang@example.com');
    expect(p.dmOptOut).toBe(false);
    expect(p.mergedInto).toBeNull(); // MCUST_COD pointing at itself is no merge
    expect(p.registeredName).toBe('王小明');
    expect(p.bookedName).toEqual({ lastName: 'WANG', firstName: 'HSIAO MING' });
    // F2…: the ID says female while SEX_TYP says M (德安's default).
    expect(p.issues).toContain('gender_default_suspect');
    expect(p.issues).toContain('phone_owner_doubt');
  });

  it('deletes, merges, opt-outs and bad IDs', () => {
    const p = normaliseDeanProfile({ ...row, CO_DEL_STA: 'Y', MCUST_COD: 'HFD9', DM_FLAG: 'N', ID_NOS: 'F220138577', ALT_NAM: 'booking' });
    expect(p).toMatchObject({ deleted: true, mergedInto: 'HFD9', dmOptOut: true, id: null, registeredName: null });
    expect(p.issues).toEqual(expect.arrayContaining(['id_checksum', 'name_placeholder']));
  });

  it('drops OTA relay e-mail addresses (not the guest’s)', () => {
    for (const relay of ['1234567890@guest.booking.com', 'abc@agoda-messaging.com', 'x@m.expediapartnercentral.com']) {
      const p = normaliseDeanProfile({ ...row, E_MAIL: relay });
      expect(p.email).toBeNull();
      expect(p.issues).toContain('email_ota_relay');
    }
    expect(normaliseDeanProfile({ ...row, E_MAIL: 'guest@booking.com.tw' }).email).toBe('guest@booking.com.tw');
  });

  it('Bacchus-schema installations send MOBILE_NOS / HOME_TEL / OFFICE_TEL instead of slots', () => {
    const p = normaliseDeanProfile({ GCUST_COD: 'B1', UPD_DAT: '2026-01-01 00:00:00', MOBILE_NOS: '0933-222-111', HOME_TEL: '0922333441', OFFICE_TEL: '(07)2345678' });
    expect(p.mobiles.map((m) => [m.e164, m.sourceField])).toEqual([
      ['+886933222111', 'MOBILE_NOS'],
      ['+886922333441', 'HOME_TEL'], // a mobile typed in the home slot is still a mobile
    ]);
    expect(p.landlines).toEqual(['+88672345678']);
  });
});

describe('stay status dialects', () => {
  it.each([
    [{ ORDER_STA: 'D' }, 'KTW', 'checked_out'],
    [{ ORDER_STA: 'C' }, 'KTW', 'cancelled'],
    [{ ORDER_STA: 'I' }, 'KTW', 'in_house'],
    [{ ORDER_STA: 'R' }, 'KTW', 'reserved'],
    [{ ORDER_STA: 'S' }, 'KTW', 'no_show'],
    [{ ORDER_STA: 'X' }, 'KTW', 'unknown'],
    [{ ORDER_STA: 'I', GUEST_STA: 'K' }, 'BACCHUS', 'in_house'],
    [{ ORDER_STA: 'O', GUEST_STA: 'E' }, 'BACCHUS', 'checked_out'],
    [{ ORDER_STA: 'X', GUEST_STA: '' }, 'BACCHUS', 'cancelled'],
    [{ ORDER_STA: 'W' }, 'BACCHUS', 'reserved'],
    [{ ORDER_STA: 'S', GUEST_STA: 'K' }, 'BACCHUS', 'no_show'],
  ] as const)('%j in %s is %s', (row, dialect, status) => {
    expect(mapStayStatus(row, STATUS_DIALECTS[dialect])).toBe(status);
  });
  it('a connection overrides a code', () => {
    expect(mapStayStatus({ ORDER_STA: 'T' }, STATUS_DIALECTS.BACCHUS, { 'ORDER_STA:T': 'cancelled' })).toBe('cancelled');
  });
});

describe('bounded PMS fields (nothing unbounded or unprintable reaches the database)', () => {
  const base = { GCUST_COD: 'HFD000000000310002', UPD_DAT: '2026-12-04 09:13:40', ALT_NAM: '林美玲', CONTACT1_RMK: '0912345670' };

  it('drops a value longer than 500 characters and says so; 500 is kept', () => {
    const long = normaliseDeanProfile({ ...base, ALT_NAM: '林'.repeat(MAX_FIELD_LENGTH + 1), E_MAIL: `${'a'.repeat(491)}@x.example` });
    expect(long.registeredName).toBeNull();
    expect(long.email).toBeNull();
    expect(long.issues).toContain('field_too_long');
    const edge = normaliseDeanProfile({ ...base, ALT_NAM: '林'.repeat(MAX_FIELD_LENGTH) });
    expect(edge.registeredName).toHaveLength(MAX_FIELD_LENGTH);
    expect(edge.issues).not.toContain('field_too_long');
  });

  it('removes NUL and control characters (a line break becomes a space) before any rule reads the value', () => {
    const p = normaliseDeanProfile({ ...base, ALT_NAM: '林\u0000美\u0007玲', CONTACT1_RMK: '0912\u0000345670\n', ID_NOS: 'F2201\u001b38576', E_MAIL: 'lin@\u0000example.com' });
    expect(p.registeredName).toBe('林美玲');
    expect(p.mobiles.map((m) => m.e164)).toEqual(['+886912345670']);
    expect(p.id).toEqual({ format: 'national_id', value: 'F220138576' });
    expect(p.email).toBe('lin@example.com');
    expect(p.issues).toContain('control_characters');
    // JSON writes a control character as a \u00XX escape: none may be left anywhere in the profile.
    expect(JSON.stringify(p)).not.toMatch(/\\u00[01][0-9a-f]/u);
  });

  it('removes a lone UTF-16 surrogate (PostgreSQL refuses it in jsonb), keeping whole characters such as 𠮷', () => {
    const { row, issues } = boundDeanRow({ ALT_NAM: 'x\ud800y', CUST_NAM: '𠮷野' });
    expect(row).toEqual({ ALT_NAM: 'xy', CUST_NAM: '𠮷野' });
    expect(issues).toEqual(['control_characters']);
  });

  it('boundDeanRow keeps nulls, stringifies numbers and drops other types', () => {
    const { row, issues } = boundDeanRow({ a: null, b: 12, c: { x: 1 }, d: 'ok\u0000' } as Record<string, unknown>);
    expect(row).toEqual({ a: null, b: '12', c: null, d: 'ok' });
    expect(issues).toEqual(['control_characters']);
  });

  it.each([
    ['1985-03-02', '1985-03-02'],
    ['1985/3/2', '1985-03-02'],
    ['民國74年3月2日', '1985-03-02'],
    ['0740302', '1985-03-02'],
    ['19850302', '1985-03-02'],
    ['1985-03-02 00:00:00', '1985-03-02'],
  ])('BIRTH_DAT %s is read with the importer’s rules as %s', (raw, value) => {
    const p = normaliseDeanProfile({ ...base, BIRTH_DAT: raw });
    expect(p.birthDate).toBe(value);
    expect(p.issues.filter((i) => i.startsWith('birth'))).toEqual([]);
  });

  it.each([
    ['02/03/1985', 'birth_date_invalid'],
    ['1985-02-30', 'birth_date_invalid'],
    ['not a date', 'birth_date_invalid'],
    ['2026-12-05', 'birth_date_after_update'],
    ['2030-01-01', 'birth_date_after_update'],
  ])('BIRTH_DAT %s is dropped (%s)', (raw, issue) => {
    const p = normaliseDeanProfile({ ...base, BIRTH_DAT: raw });
    expect(p.birthDate).toBeNull();
    expect(p.issues).toContain(issue);
  });

  it('a birth date on the day of the update is allowed', () => {
    expect(parseBirthDate('2026-12-04', '2026-12-04 09:13:40')).toEqual({ value: '2026-12-04' });
  });
});

describe('isPmsTime', () => {
  it('takes a real calendar time in 德安’s shape and nothing else', () => {
    for (const ok of ['2026-12-05 15:00:00', '2024-02-29 23:59:59', '1900-01-01 00:00:00']) expect(isPmsTime(ok)).toBe(true);
    for (const bad of ['2026-13-01 10:00:00', '2026-02-30 10:00:00', '2025-02-29 10:00:00', '2026-01-01 24:00:00', '2026-01-01 10:60:00', '0000-01-01 00:00:00', '9999-12-31 23:59:59', '10000-01-01 00:00:00', '2026-01-01T10:00:00', '']) {
      expect(isPmsTime(bad)).toBe(false);
    }
  });
});
