import { z } from 'zod';

// The bodies and answers of these routes are the wire contract: @innkeeper/contracts/api.

export const ZChannelIdParams = z.object({ channelId: z.uuid() });
