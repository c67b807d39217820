import { describe, expect, it } from 'vitest';
import { createKeyring } from '../../../core/crypto/keyring.ts';
import { createGuestKeyDeriver } from '../pms.generic.ts';

/** The guest number a generic file's row is given from its ID or mobile: stable in a hotel group, its own in each. */
const ring = createKeyring([{ id: 'k1', key: Buffer.alloc(32, 1) }], Buffer.alloc(32, 9));
const keysOf = (tenantId: string) => createGuestKeyDeriver((value, purpose) => ring.blindIndex(value, purpose), tenantId);
const guest = { id: 'B120418537', country: null, mobile: null, name: '王小明' };
const byMobile = { id: null, country: null, mobile: '0912837465', name: '王小明' };

describe('the guest number made from the ID or mobile', () => {
  it('is the same for the same guest in one hotel group, and hides the ID', () => {
    const key = keysOf('tenant-a')(guest);
    expect(key).toMatch(/^ID-[\w-]{24}$/);
    expect(keysOf('tenant-a')(guest)).toBe(key);
    expect(key).not.toContain('B120418537');
    expect(keysOf('tenant-a')(byMobile)).toMatch(/^MB-[\w-]{24}$/);
  });

  it('differs between hotel groups, so two groups cannot tell they share a guest', () => {
    expect(keysOf('tenant-a')(guest)).not.toBe(keysOf('tenant-b')(guest));
    expect(keysOf('tenant-a')(byMobile)).not.toBe(keysOf('tenant-b')(byMobile));
  });
});
