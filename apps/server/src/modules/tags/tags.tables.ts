import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type TagKind = 'basic' | 'campaign';
export type TagSource = 'staff' | 'campaign' | 'rule' | 'pms' | 'import' | 'api' | 'line';

export const tags = pgTable(
  'tags',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<TagKind>().notNull(),
    category: text('category').notNull().default(''),
    color: text('color').notNull().default('blue'),
    description: text('description').notNull().default(''),
    validityDays: integer('validity_days'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const memberTags = pgTable(
  'member_tags',
  {
    tenantId: uuid('tenant_id').notNull(),
    tagId: uuid('tag_id').notNull(),
    memberId: uuid('member_id').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    source: text('source').$type<TagSource>().notNull(),
    sourceRef: text('source_ref').notNull().default(''),
    sourceLabel: text('source_label').notNull().default(''),
    /** The button a tag came from, when a button gave it (migration 0035); sourceLabel names its campaign or rule. */
    sourceDetail: text('source_detail').notNull().default(''),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.tagId, t.memberId] })],
);
