import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { BuiltinRoleKey } from '@innkeeper/contracts';

export const roles = pgTable(
  'roles',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    builtinKey: text('builtin_key').$type<BuiltinRoleKey>(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    permissions: text('permissions').array().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const accounts = pgTable(
  'accounts',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    roleId: uuid('role_id').notNull(),
    allProperties: boolean('all_properties').notNull().default(true),
    status: text('status').$type<'active' | 'disabled'>().notNull().default('active'),
    locale: text('locale').$type<'zh-TW' | 'en'>().notNull().default('zh-TW'),
    totpSecretEncrypted: text('totp_secret_encrypted'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** The time step of the last TOTP code accepted: a code is good once (migration 0014). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    failedLogins: integer('failed_logins').notNull().default(0),
    /** failedLogins counts failures from every address until this moment (the account-wide throttle, decision 0007). */
    failedLoginsWindowEndsAt: timestamp('failed_logins_window_ends_at', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const accountProperties = pgTable(
  'account_properties',
  {
    tenantId: uuid('tenant_id').notNull(),
    accountId: uuid('account_id').notNull(),
    propertyId: uuid('property_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.accountId, t.propertyId] })],
);

export const loginDirectory = pgTable('login_directory', {
  email: text('email').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  accountId: uuid('account_id').notNull(),
});
