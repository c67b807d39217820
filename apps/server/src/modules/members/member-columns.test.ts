import { describe, expect, it } from 'vitest';
import { ephemeralKeyring } from '../../core/crypto/keyring.ts';
import { memberColumns } from './members.service.ts';

// Issue 9 browser review: the demo's sample reached createMember without the form's schema and kept a surname as
// "\u3000李" (a leading full-width space), shown indented on 綁定審核, 封鎖紀錄 and in exports.
describe('member columns', () => {
  it('trims names of spaces of any width, whichever way they arrived', () => {
    const columns = memberColumns(ephemeralKeyring(), { lastName: '\u3000李 ', firstName: ' 雅詠\u3000' }, new Date());
    expect(columns.lastName).toBe('李');
    expect(columns.firstName).toBe('雅詠');
  });

  it('leaves the space inside a name as typed', () => {
    expect(memberColumns(ephemeralKeyring(), { lastName: 'van der Berg', firstName: 'Anna Maria' }, new Date())).toMatchObject({ lastName: 'van der Berg', firstName: 'Anna Maria' });
  });
});
