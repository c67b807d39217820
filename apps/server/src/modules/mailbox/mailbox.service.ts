import type { Database } from '../../core/db/database.ts';
import type { Mailer } from '../../core/mail/mailer.ts';
import type { SmsSender } from '../../core/sms/sms.ts';
import * as repo from './mailbox.repository.ts';

/** Mail kept in the database instead of sent: the demo's way to read login codes without a mail server. */
export function createCaptureMailer(db: Database): Mailer {
  return {
    mode: 'capture',
    async send(message) {
      await db.withPlatform((tx) => repo.insertMail(tx, message));
    },
  };
}

export function listCapturedMail(db: Database, limit: number) {
  return db.withPlatform((tx) => repo.findMail(tx, limit));
}

/** SMS kept in the database instead of sent: the demo's stand-in for an SMS provider. */
export function createCaptureSms(db: Database): SmsSender {
  return {
    mode: 'capture',
    async send(message) {
      await db.withPlatform((tx) => repo.insertSms(tx, message));
    },
  };
}

export function listCapturedSms(db: Database, limit: number) {
  return db.withPlatform((tx) => repo.findSms(tx, limit));
}

/** Deletes everything captured before `cutoff`; returns how many messages went. */
export async function purgeCapturedBefore(db: Database, cutoff: Date): Promise<number> {
  return db.withPlatform((tx) => repo.deleteCapturedBefore(tx, cutoff));
}

/**
 * An erased guest leaves nothing in the demo mailbox: messages to their mobile or e-mail address, and any message
 * that quotes either, are deleted.
 */
export async function eraseCapturedFor(db: Database, who: { mobile: string | null; email: string | null }): Promise<void> {
  await db.withPlatform(async (tx) => {
    if (who.mobile) await repo.deleteCapturedForMobile(tx, who.mobile);
    if (who.email) await repo.deleteCapturedForEmail(tx, who.email.toLowerCase());
  });
}
