import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIELD_MESSAGES } from '../../../core/validation-messages.ts';
import { EMAIL_MESSAGE_KEYS, IDENTITY_FIELD_MESSAGES, identityDocumentMessageKey, MOBILE_MESSAGE_KEYS } from './messages.ts';
import { ZEmailAddress, ZMobile, ZNationalIdOrPassport, zIdentityDocument } from './index.ts';

function issueMessages(result: { success: boolean; error?: z.ZodError }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('ZNationalIdOrPassport', () => {
  it('normalises and classifies', () => {
    expect(ZNationalIdOrPassport.parse(' a123-456-789 ')).toEqual({ value: 'A123456789', kind: 'national_id' });
    expect(ZNationalIdOrPassport.parse('ＡＣ０１２３４５６７')).toEqual({ value: 'AC01234567', kind: 'resident_certificate' });
    expect(ZNationalIdOrPassport.parse('e1234 5678')).toEqual({ value: 'E12345678', kind: 'passport' });
  });

  it.each([
    ['', 'field.required'],
    [' \u3000 - ', 'field.required'],
    ['A123456780', 'field.national_id_checksum'],
    ['NA', 'field.identity_format'],
    ['A'.repeat(65), 'Too big: expected string to have <=64 characters'],
  ])('%j fails with %s', (input, message) => {
    expect(issueMessages(ZNationalIdOrPassport.safeParse(input))).toEqual([message]);
  });

  it('hinted schemas use the matching format message', () => {
    expect(issueMessages(zIdentityDocument('national_id').safeParse('E12345678'))).toEqual(['field.national_id_format']);
    expect(issueMessages(zIdentityDocument('passport').safeParse('PASSPORT'))).toEqual(['field.passport_format']);
    expect(zIdentityDocument('passport').parse('A123456789')).toEqual({ value: 'A123456789', kind: 'passport' });
  });

  it('rejects non-strings', () => {
    expect(ZNationalIdOrPassport.safeParse(123).success).toBe(false);
  });
});

describe('ZMobile', () => {
  it('normalises to a MobileNumber', () => {
    expect(ZMobile.parse('０９１２－３４５－６７８')).toEqual({
      e164: '+886912345678',
      country: 'TW',
      isMobile: true,
      type: 'MOBILE',
      repaired: false,
    });
    expect(ZMobile.parse('02-2345-6789')).toMatchObject({ e164: '+886223456789', isMobile: false });
  });

  it.each([
    ['', 'field.required'],
    ['0912abc678', 'field.mobile_format'],
    ['0912345678 / 0922333444', 'field.mobile_multiple'],
    ['+88691234567', 'field.mobile_invalid'],
  ])('%j fails with %s', (input, message) => {
    expect(issueMessages(ZMobile.safeParse(input))).toEqual([message]);
  });
});

describe('ZEmailAddress', () => {
  it('normalises to a lower-case address', () => {
    expect(ZEmailAddress.parse(' Guest@Hotel.Example ')).toBe('guest@hotel.example');
  });

  it.each([
    ['', 'field.required'],
    ['guest@hotel', 'field.email'],
  ])('%j fails with %s', (input, message) => {
    expect(issueMessages(ZEmailAddress.safeParse(input))).toEqual([message]);
  });

  it('reports the issue at the field path inside an object', () => {
    const body = z.object({ email: ZEmailAddress, mobile: ZMobile, idNumber: ZNationalIdOrPassport });
    const result = body.safeParse({ email: 'x', mobile: '0912', idNumber: 'A123456780' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['email', 'field.email'],
      ['mobile', 'field.mobile_invalid'],
      ['idNumber', 'field.national_id_checksum'],
    ]);
  });

  it('all three convert to a JSON schema for request bodies', () => {
    for (const schema of [ZNationalIdOrPassport, ZMobile, ZEmailAddress]) {
      expect(z.toJSONSchema(schema, { io: 'input' })).toMatchObject({ type: 'string' });
    }
  });
});

describe('messages', () => {
  const known: Record<string, Record<string, string>> = { ...FIELD_MESSAGES, ...IDENTITY_FIELD_MESSAGES };

  it('adds only new keys to FIELD_MESSAGES, each in zh-TW and English', () => {
    for (const [key, text] of Object.entries(IDENTITY_FIELD_MESSAGES)) {
      expect(FIELD_MESSAGES[key]).toBeUndefined();
      expect(key).toMatch(/^field\.[a-z_]+$/);
      expect(text['zh-TW'].length).toBeGreaterThan(0);
      expect(text.en.length).toBeGreaterThan(0);
    }
  });

  it('every failure reason resolves to a message that exists', () => {
    const keys = [
      ...Object.values(MOBILE_MESSAGE_KEYS),
      ...Object.values(EMAIL_MESSAGE_KEYS),
      ...(['format', 'checksum', 'country'] as const).flatMap((reason) =>
        ([undefined, 'national_id', 'resident_certificate', 'passport'] as const).map((hint) => identityDocumentMessageKey(reason, hint)),
      ),
    ];
    for (const key of keys) expect(known[key], key).toBeDefined();
    expect(new Set(keys)).toEqual(new Set([...Object.keys(IDENTITY_FIELD_MESSAGES), 'field.required', 'field.email']));
  });
});
