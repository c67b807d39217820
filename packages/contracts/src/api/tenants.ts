import { z } from 'zod';
import { LOCALES } from '../locales.ts';
import { ZEmail } from './accounts.ts';

/** POST /api/properties; PATCH /api/properties/:id takes any part of it. */
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

/** GET /api/properties: the properties the account may work with. */
export const ZPropertyList = z.object({ data: z.array(ZProperty) });

export const ZTenant = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  kind: z.enum(['hotel', 'platform']),
  timezone: z.string(),
  defaultLocale: z.enum(LOCALES),
  status: z.enum(['active', 'suspended']),
  createdAt: z.date(),
});

/** GET /api/platform/tenants (platform operator) */
export const ZTenantList = z.object({ data: z.array(ZTenant) });

/** POST /api/platform/tenants: a hotel tenant with its properties and first administrator. */
export const ZCreateTenantRequest = z.strictObject({
  name: z.string().trim().min(1, { error: 'field.required' }).max(200),
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: 'field.slug' }),
  timezone: z.string().max(64).optional(),
  properties: z.array(ZPropertyInput.pick({ code: true, name: true })).min(1).max(50),
  administrator: z.strictObject({ email: ZEmail, displayName: z.string().trim().min(1, { error: 'field.required' }).max(100) }),
});

/** POST /api/platform/tenants/:id/status */
export const ZTenantStatusRequest = z.strictObject({ status: z.enum(['active', 'suspended']) });
