import { describe, expect, it } from 'vitest';
import en from '../../locales/en.json';
import zhTW from '../../locales/zh-TW.json';

// The export masks mobile, email and ID numbers for an account without 'personal_data.unmasked'
// (member-export.service.ts); birthdays are exported as the member page shows them, in full. The export dialog
// must not promise a masked birthday that the file then holds in full.
describe('export dialog masking notice', () => {
  it('zh-TW names what the export masks, and not the birthday', () => {
    expect(zhTW.memberExport.masked).toContain('手機');
    expect(zhTW.memberExport.masked).toContain('證件號碼');
    expect(zhTW.memberExport.masked).not.toContain('生日');
  });

  it('en names what the export masks, and not the birthday', () => {
    expect(en.memberExport.masked).toMatch(/mobile/i);
    expect(en.memberExport.masked).toMatch(/ID numbers/);
    expect(en.memberExport.masked).not.toMatch(/birthday/i);
  });
});
