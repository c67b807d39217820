import type { Transporter } from 'nodemailer';

export type MailMessage = { to: string; subject: string; text: string };

/** Outgoing mail. 'smtp' delivers through a real server; 'capture' keeps mail in the database for the demo mailbox. */
export type Mailer = { mode: 'smtp' | 'capture'; send(message: MailMessage): Promise<void> };

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
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
