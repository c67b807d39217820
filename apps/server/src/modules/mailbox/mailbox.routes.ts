import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCapturedMailList, ZCapturedMailQuery, ZCapturedSmsList } from '@innkeeper/contracts/api';
import type { Database } from '../../core/db/database.ts';
import { AppError } from '../../core/errors.ts';
import type { Mailer } from '../../core/mail/mailer.ts';
import type { SmsSender } from '../../core/sms/sms.ts';
import { listCapturedMail, listCapturedSms } from './mailbox.service.ts';

/**
 * The demo mailbox. It is public on purpose (a newcomer reads the sign-in code before being signed in), so it is
 * registered in demo mode only (build-app.ts); even there, mail sent through SMTP_URL or SMS through a provider is not
 * captured and the list answers 404.
 */
export function mailboxRoutes(deps: { db: Database; mailer: Mailer; sms: SmsSender }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/demo-mailbox', {
      schema: {
        tags: ['demo'],
        summary: 'Mail captured because no SMTP server is configured (demo only)',
        querystring: ZCapturedMailQuery,
        response: { 200: ZCapturedMailList },
      },
      config: { access: 'public' },
    }, async (req) => {
      if (deps.mailer.mode !== 'capture') throw new AppError('mailbox.disabled');
      const rows = await listCapturedMail(deps.db, 100);
      const to = req.query.to?.toLowerCase();
      return { data: to ? rows.filter((m) => m.toAddress === to) : rows };
    });

    app.get('/api/demo-mailbox/sms', {
      schema: {
        tags: ['demo'],
        summary: 'SMS captured because no SMS provider is configured (demo only)',
        response: { 200: ZCapturedSmsList },
      },
      config: { access: 'public' },
    }, async () => {
      if (deps.sms.mode !== 'capture') throw new AppError('mailbox.disabled');
      return { data: await listCapturedSms(deps.db, 100) };
    });
  };
}
