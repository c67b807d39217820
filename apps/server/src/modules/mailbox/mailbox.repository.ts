import { desc, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../core/db/database.ts';
import { newId } from '../../core/ids.ts';
import { capturedMail, capturedSms } from './mailbox.tables.ts';

// The demo mailbox is cross-tenant: every function here runs in the platform scope.

export async function insertMail(tx: Tx, message: { to: string; subject: string; text: string }): Promise<void> {
  await tx.insert(capturedMail).values({ id: newId(), toAddress: message.to, subject: message.subject, textBody: message.text });
}

export async function insertSms(tx: Tx, message: { to: string; body: string }): Promise<void> {
  await tx.insert(capturedSms).values({ id: newId(), toMobile: message.to, body: message.body });
}

export function findMail(tx: Tx, limit: number) {
  return tx.select().from(capturedMail).orderBy(desc(capturedMail.createdAt), desc(capturedMail.id)).limit(limit);
}

export function findSms(tx: Tx, limit: number) {
  return tx.select().from(capturedSms).orderBy(desc(capturedSms.createdAt), desc(capturedSms.id)).limit(limit);
}

/** Deletes everything captured before `cutoff`; returns how many messages went. */
export async function deleteCapturedBefore(tx: Tx, cutoff: Date): Promise<number> {
  const mail = await tx.delete(capturedMail).where(lt(capturedMail.createdAt, cutoff)).returning({ id: capturedMail.id });
  const sms = await tx.delete(capturedSms).where(lt(capturedSms.createdAt, cutoff)).returning({ id: capturedSms.id });
  return mail.length + sms.length;
}

/** Messages to this mobile, and any message that quotes it. */
export async function deleteCapturedForMobile(tx: Tx, mobile: string): Promise<void> {
  await tx.delete(capturedSms).where(eq(capturedSms.toMobile, mobile));
  await tx.delete(capturedSms).where(sql`strpos(${capturedSms.body}, ${mobile}) > 0`);
  await tx.delete(capturedMail).where(sql`strpos(${capturedMail.textBody}, ${mobile}) > 0`);
}

/** Mail to this (lower-cased) address, and any mail that quotes it. */
export async function deleteCapturedForEmail(tx: Tx, email: string): Promise<void> {
  await tx.delete(capturedMail).where(sql`lower(${capturedMail.toAddress}) = ${email} or strpos(lower(${capturedMail.textBody}), ${email}) > 0`);
}
