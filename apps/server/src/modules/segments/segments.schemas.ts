import { z } from 'zod';

// The bodies and answers of the segment routes are the wire contract: @innkeeper/contracts/api.
export const ZSegmentIdParams = z.object({ segmentId: z.uuid() });
