import { desc } from 'drizzle-orm';
import type { Database } from '../../core/db/database.ts';
import { newId } from '../../core/ids.ts';
import type { Mailer } from '../../core/mail/mailer.ts';
import { capturedMail } from './mailbox.tables.ts';

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
