import nodemailer from 'nodemailer';

export type MailMessage = { to: string; subject: string; text: string };

/** Outgoing mail. 'smtp' delivers through a real server; 'capture' keeps mail in the database for the demo mailbox. */
export type Mailer = { mode: 'smtp' | 'capture'; send(message: MailMessage): Promise<void> };

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    mode: 'smtp',
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
