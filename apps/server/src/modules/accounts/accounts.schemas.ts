import { z } from 'zod';

// The bodies and answers of these routes are the wire contract: @innkeeper/contracts/api.

export const ZAccountIdParams = z.object({ accountId: z.uuid() });

export const ZRoleIdParams = z.object({ roleId: z.uuid() });
