import { desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../../core/db/database.ts';
import { newId } from '../../core/ids.ts';
import type { Mailer } from '../../core/mail/mailer.ts';
import type { SmsSender } from '../../core/sms/sms.ts';
import { capturedMail, capturedSms } from './mailbox.tables.ts';

/** Mail kept in the database instead of sent: the demo's way to read login codes without a mail server. */
export function createCaptureMailer(db: Database): Mailer {
  return {
    mode: 'capture',
    async send(message) {
      await db.withPlatform((tx) => tx.insert(capturedMail).values({ id: newId(), toAddress: message.to, subject: message.subject, textBody: message.text }));
    },
  };
}

export function listCapturedMail(db: Database, limit: number) {
  return db.withPlatform((tx) => tx.select().from(capturedMail).orderBy(desc(capturedMail.createdAt), desc(capturedMail.id)).limit(limit));
}

/** SMS kept in the database instead of sent: the demo's stand-in for an SMS provider. */
export function createCaptureSms(db: Database): SmsSender {
  return {
    mode: 'capture',
    async send(message) {
      await db.withPlatform((tx) => tx.insert(capturedSms).values({ id: newId(), toMobile: message.to, body: message.body }));
    },
  };
}

export function listCapturedSms(db: Database, limit: number) {
  return db.withPlatform((tx) => tx.select().from(capturedSms).orderBy(desc(capturedSms.createdAt), desc(capturedSms.id)).limit(limit));
}

/** Deletes everything captured before `cutoff`; returns how many messages went. */
export async function purgeCapturedBefore(db: Database, cutoff: Date): Promise<number> {
  return db.withPlatform(async (tx) => {
    const mail = await tx.delete(capturedMail).where(lt(capturedMail.createdAt, cutoff)).returning({ id: capturedMail.id });
    const sms = await tx.delete(capturedSms).where(lt(capturedSms.createdAt, cutoff)).returning({ id: capturedSms.id });
    return mail.length + sms.length;
  });
}

/**
 * An erased guest leaves nothing in the demo mailbox: messages to their mobile or e-mail address, and any message
 * that quotes either, are deleted.
 */
export async function eraseCapturedFor(db: Database, who: { mobile: string | null; email: string | null }): Promise<void> {
  await db.withPlatform(async (tx) => {
    if (who.mobile) {
      await tx.delete(capturedSms).where(eq(capturedSms.toMobile, who.mobile));
      await tx.delete(capturedSms).where(sql`strpos(${capturedSms.body}, ${who.mobile}) > 0`);
      await tx.delete(capturedMail).where(sql`strpos(${capturedMail.textBody}, ${who.mobile}) > 0`);
    }
    if (who.email) {
      const email = who.email.toLowerCase();
      await tx.delete(capturedMail).where(sql`lower(${capturedMail.toAddress}) = ${email} or strpos(lower(${capturedMail.textBody}), ${email}) > 0`);
    }
  });
}
