import type { Transporter } from 'nodemailer';

export type MailMessage = { to: string; subject: string; text: string };

/** Outgoing mail. 'smtp' delivers through a real server; 'capture' keeps mail in the database for the demo mailbox. */
export type Mailer = { mode: 'smtp' | 'capture'; send(message: MailMessage): Promise<void> };

/**
 * Checked at start (runtime.ts, before the database is touched), as nodemailer checked it when it was loaded at start:
 * a mistyped SMTP_URL must stop the process now, not fail the first sign-in code.
 */
export function assertSmtpUrl(smtpUrl: string): void {
  if (!URL.canParse(smtpUrl) || !['smtp:', 'smtps:'].includes(new URL(smtpUrl).protocol)) throw new Error('SMTP_URL must be an smtp:// or smtps:// URL (see README, Configuration)');
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  assertSmtpUrl(smtpUrl);
  // nodemailer (~100 modules) is loaded with the first mail, not by every process at start (bench/README.md, RSS).
  let transport: Promise<Transporter> | undefined;
  return {
    mode: 'smtp',
    async send(message) {
      transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
      await (await transport).sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
