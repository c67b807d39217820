import type { RequestBody } from '@innkeeper/contracts/api';
import * as contract from '@innkeeper/contracts/api';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ZBindRequest } from '../../modules/member-portal/member-portal.schemas.ts';
import { ZMemberInput } from '../../modules/members/index.ts';

/**
 * Where the server extends a contract schema with its own parsing (e-mail, mobile, identity documents), a client
 * that sends what the contract types allow must be understood: the bodies' types are the same (checked by the
 * type-check), and the server only refuses values the contract cannot judge.
 */
describe('the wire contract and the server’s own parsing', () => {
  it('takes the same member and binding bodies as the contract', () => {
    expectTypeOf<z.input<typeof ZMemberInput>>().toEqualTypeOf<RequestBody<typeof contract.ZMemberInput>>();
    expectTypeOf<z.input<typeof ZBindRequest>>().toEqualTypeOf<RequestBody<typeof contract.ZBindRequest>>();
  });

  it('normalises what the contract lets through, and refuses what it cannot check', () => {
    const body: RequestBody<typeof contract.ZMemberInput> = { lastName: '王', mobile: '0912 345 678', email: ' Guest@Hotel.Example ' };
    expect(contract.ZMemberInput.parse(body).mobile).toBe('0912 345 678');
    expect(ZMemberInput.parse(body)).toMatchObject({ mobile: '+886912345678', email: 'guest@hotel.example' });

    const wrongNumber = { ...body, mobile: '12' };
    expect(contract.ZMemberInput.safeParse(wrongNumber).success).toBe(true);
    expect(ZMemberInput.safeParse(wrongNumber).success).toBe(false);
  });
});
