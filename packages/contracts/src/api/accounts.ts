import { z } from 'zod';
import { ZCleanName } from './fields.ts';
import { LOCALES } from '../locales.ts';
import { TENANT_PERMISSIONS } from '../permissions.ts';
import { pageOf, ZPageQuery } from './pages.ts';

/** An e-mail address as typed: trimmed and lower-cased, so one address is one account. */
export const ZEmail = z.string().trim().toLowerCase().pipe(z.email({ error: 'field.email' }).max(254));

const ZDisplayName = z.string().trim().min(1, { error: 'field.required' }).max(100);

export const ZCreateAccountRequest = z.strictObject({
  email: ZEmail,
  displayName: ZDisplayName,
  roleId: z.uuid(),
  allProperties: z.boolean().default(true),
  propertyIds: z.array(z.uuid()).max(100).default([]),
  locale: z.enum(LOCALES).optional(),
});

export const ZUpdateAccountRequest = z.strictObject({
  displayName: ZDisplayName.optional(),
  roleId: z.uuid().optional(),
  allProperties: z.boolean().optional(),
  propertyIds: z.array(z.uuid()).max(100).optional(),
  locale: z.enum(LOCALES).optional(),
});

export const ZAccountStatusRequest = z.strictObject({ status: z.enum(['active', 'disabled']) });

export const ZAccountListQuery = ZPageQuery.extend({
  search: z.string().trim().max(100).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  roleId: z.uuid().optional(),
}).strict();

export const ZAccount = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  roleId: z.string(),
  status: z.enum(['active', 'disabled']),
  locale: z.enum(LOCALES),
  allProperties: z.boolean(),
  propertyIds: z.array(z.string()),
  hasPassword: z.boolean(),
  totpEnabled: z.boolean(),
  lockedUntil: z.date().nullable(),
  lastLoginAt: z.date().nullable(),
  createdAt: z.date(),
});

export const ZAccountPage = pageOf(ZAccount);

export const ZRoleRequest = z.strictObject({
  name: ZCleanName(100),
  description: z.string().trim().max(500).optional(),
  permissions: z.array(z.enum(TENANT_PERMISSIONS, { error: 'field.permission' })).max(TENANT_PERMISSIONS.length * 2),
});

export const ZRole = z.object({
  id: z.string(),
  name: z.string(),
  builtinKey: z.string().nullable(),
  description: z.string(),
  permissions: z.array(z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZRoleWithCount = ZRole.extend({ accountCount: z.number().int() });
/** GET /api/roles */
export const ZRoleList = z.object({ data: z.array(ZRoleWithCount) });
