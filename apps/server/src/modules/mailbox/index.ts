import { contribute, defineModule } from '../../core/module.ts';
import { memberEraseHooks } from '../members/index.ts';
import { purgeCapturedMessagesJob } from './mailbox.jobs.ts';
import { mailboxRoutes } from './mailbox.routes.ts';
import { eraseCapturedFor } from './mailbox.service.ts';

export { createCaptureMailer, createCaptureSms } from './mailbox.service.ts';

/** The demo's captured mail and SMS (the process captures them when demo mode has no SMTP server or SMS provider). */
export const mailboxModule = defineModule({
  name: 'mailbox',
  create: ({ config, db, clock, mailer, sms }) => ({
    services: {},
    // The public demo mailbox exists only in demo mode: outside it the routes are not there at all (404).
    routes: config.demoMode ? [mailboxRoutes({ db, mailer, sms })] : [],
    jobs: [purgeCapturedMessagesJob({ db, clock })],
    // Captured messages exist only in demo mode; they live outside the tenant (platform scope), so they go in their
    // own transaction once the erasure commits.
    contributes: config.demoMode ? contribute(memberEraseHooks, async (ctx, erased) => ctx.afterCommit(() => eraseCapturedFor(db, erased))) : [],
  }),
});
