export { createCaptureMailer } from './mailbox.service.ts';
export { mailboxRoutes } from './mailbox.routes.ts';
