export { createCaptureMailer, createCaptureSms, eraseCapturedFor } from './mailbox.service.ts';
export { purgeCapturedMessagesJob } from './mailbox.jobs.ts';
export { mailboxRoutes } from './mailbox.routes.ts';
