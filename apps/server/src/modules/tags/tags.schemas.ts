import { z } from 'zod';

// The bodies and answers of the tag routes are the wire contract: @innkeeper/contracts/api.
export const ZTagIdParams = z.object({ tagId: z.uuid() });
