import { desc } from 'drizzle-orm';
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
