import { describe, expect, it } from 'vitest';
import { memberKeysOf } from '../pms.member-keys.ts';

describe('memberKeysOf: the member side of matching', () => {
  it('normalises what a guest typed with the PMS side’s rules', () => {
    expect(memberKeysOf({ source: 'typed', memberId: 'm1', idNumber: ' ｆ２２０１３８５７６ ', idCountry: 'TWN', mobile: '０９１２－３４５－６７０', mobileVerified: true, lastName: '王', firstName: '小明', birthDate: '1985-03-02' })).toEqual({
      memberId: 'm1',
      id: { format: 'national_id', value: 'F220138576' },
      mobile: { e164: '+886912345670', verified: true },
      name: { lastName: '王', firstName: '小明' },
      birthDate: '1985-03-02',
    });
  });

  it('gives no key for an invalid ID, a landline, or a passport without its country', () => {
    const keys = memberKeysOf({ source: 'typed', memberId: 'm2', idNumber: 'F220138577', mobile: '02-2345-6781' });
    expect(keys.id).toBeNull();
    expect(keys.mobile).toBeNull();
    expect(memberKeysOf({ source: 'typed', memberId: 'm3', idNumber: 'TR1029384' }).id).toBeNull();
    expect(memberKeysOf({ source: 'typed', memberId: 'm4', idNumber: 'TR1029384', idCountry: 'JP' }).id).toEqual({ format: 'passport', value: 'TR1029384', issuingCountry: 'JPN' });
  });

  it('an unverified mobile is a key marked unverified; US numbers count as mobiles', () => {
    expect(memberKeysOf({ source: 'typed', memberId: 'm5', mobile: '0912345670' }).mobile).toEqual({ e164: '+886912345670', verified: false });
    expect(memberKeysOf({ source: 'typed', memberId: 'm6', mobile: '+1 415 555 2671', mobileVerified: true }).mobile).toEqual({ e164: '+14155552671', verified: true });
  });

  it('a stored member brings its blind index, and its masked number tells the resident number’s format', () => {
    const stored = (idType: 'national_id' | 'resident_certificate' | 'passport', masked: string) =>
      memberKeysOf({ source: 'stored', memberId: 's', idType, idNumberHash: 'HASH', idNumberMasked: masked, passportCountry: 'JPN', mobile: '+886912345670', mobileVerified: true }).id;
    expect(stored('national_id', 'F22*****76')).toEqual({ format: 'national_id', value: 'HASH' });
    expect(stored('resident_certificate', 'A80*****14')).toEqual({ format: 'resident_new', value: 'HASH' });
    expect(stored('resident_certificate', 'AC0*****67')).toEqual({ format: 'resident_old', value: 'HASH' });
    expect(stored('passport', 'TR1****84')).toEqual({ format: 'passport', value: 'HASH', issuingCountry: 'JPN' });
    expect(memberKeysOf({ source: 'stored', memberId: 's', idType: null, idNumberHash: null }).id).toBeNull();
  });
});
