import { describe, expect, it } from 'vitest';
import { suggestMapping } from '../pms.generic.ts';

describe('the columns a generic PMS file is suggested to map', () => {
  it('takes the names front desks give the guest number (房客編號, 旅客編號, 客戶代號, 住客代號) as the guest number', () => {
    for (const header of ['房客編號', '旅客編號', '客戶代號', '住客代號', '住客編號', 'Guest ID']) {
      expect(suggestMapping(['姓名', header, '手機']).guestKey).toBe(header);
    }
    // A member number is the CRM's, not the PMS's guest: not taken.
    expect(suggestMapping(['姓名', '會員編號']).guestKey).toBeUndefined();
  });
});
