import { z } from 'zod';

// The demo mailbox (demo mode only): mail and text messages kept because no SMTP server or SMS provider is set up.

/** GET /api/demo-mailbox?to= */
export const ZCapturedMailQuery = z.strictObject({ to: z.string().max(254).optional() });
export const ZCapturedMail = z.object({ id: z.string(), toAddress: z.string(), subject: z.string(), textBody: z.string(), createdAt: z.date() });
export const ZCapturedMailList = z.object({ data: z.array(ZCapturedMail) });

/** GET /api/demo-mailbox/sms */
export const ZCapturedSms = z.object({ id: z.string(), toMobile: z.string(), body: z.string(), createdAt: z.date() });
export const ZCapturedSmsList = z.object({ data: z.array(ZCapturedSms) });
