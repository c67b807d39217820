import { z } from 'zod';

export const ZPropertyIdParams = z.object({ propertyId: z.uuid() });

export const ZPropertyInput = z.strictObject({
  code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'field.property_code' }),
  name: z.string().trim().min(1, { error: 'field.required' }).max(200),
  address: z.string().trim().max(300).optional(),
  phone: z.string().trim().max(50).optional(),
});

export const ZProperty = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  createdAt: z.date(),
});

export const ZTenant = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  kind: z.enum(['hotel', 'platform']),
  timezone: z.string(),
  defaultLocale: z.enum(['zh-TW', 'en']),
  status: z.enum(['active', 'suspended']),
  createdAt: z.date(),
});
