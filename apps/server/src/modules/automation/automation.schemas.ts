import { z } from 'zod';

// The bodies and answers of the automation routes are the wire contract: @innkeeper/contracts/api.
export const ZRuleIdParams = z.object({ ruleId: z.uuid() });
