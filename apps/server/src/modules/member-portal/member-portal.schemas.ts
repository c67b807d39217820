import { ZBindRequest as ZBindRequestShape, ZCodeRequest as ZCodeRequestShape } from '@innkeeper/contracts/api';
import { z } from 'zod';
import { ZMemberInput } from '../members/index.ts';

// The member area's bodies and answers are the wire contract (@innkeeper/contracts/api); the guest's mobile, e-mail
// and identity document are parsed as the members module parses them for staff.

export const ZLiffParams = z.object({ tenantId: z.uuid(), channelId: z.uuid() });
export const ZButtonParams = z.object({ buttonId: z.uuid() });
export const ZReviewParams = z.object({ reviewId: z.uuid() });

const memberFields = ZMemberInput.shape;

export const ZCodeRequest = ZCodeRequestShape.extend({ mobile: memberFields.mobile.unwrap().unwrap() });

export const ZBindRequest = ZBindRequestShape.extend({
  mobile: memberFields.mobile.unwrap().unwrap(),
  identity: memberFields.identity.unwrap().unwrap().optional(),
  email: memberFields.email.unwrap().unwrap().optional(),
});
