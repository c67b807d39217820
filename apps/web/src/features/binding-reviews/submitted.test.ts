import { describe, expect, it } from 'vitest';
import { splitIdentity } from './submitted.ts';

describe('splitIdentity', () => {
  it('splits the document type from the masked number', () => {
    expect(splitIdentity('national_id:A12*****89')).toEqual({ type: 'national_id', masked: 'A12*****89' });
    expect(splitIdentity('passport:31*****78')).toEqual({ type: 'passport', masked: '31*****78' });
  });

  it('keeps a value without a type, and ignores empty or non-text values', () => {
    expect(splitIdentity('A12*****89')).toEqual({ type: '', masked: 'A12*****89' });
    expect(splitIdentity('')).toBeUndefined();
    expect(splitIdentity(null)).toBeUndefined();
    expect(splitIdentity(true)).toBeUndefined();
  });
});
