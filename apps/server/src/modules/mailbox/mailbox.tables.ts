import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const capturedMail = pgTable('captured_mail', {
  id: uuid('id').primaryKey(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const capturedSms = pgTable('captured_sms', {
  id: uuid('id').primaryKey(),
  toMobile: text('to_mobile').notNull(),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
