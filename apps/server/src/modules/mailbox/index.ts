export { createCaptureMailer, createCaptureSms } from './mailbox.service.ts';
export { mailboxRoutes } from './mailbox.routes.ts';
