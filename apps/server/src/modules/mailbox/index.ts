export { createCaptureMailer, createCaptureSms, eraseCapturedFor } from './mailbox.service.ts';
export { purgeCapturedMessagesJob, CAPTURE_RETENTION_HOURS } from './mailbox.jobs.ts';
export { mailboxRoutes } from './mailbox.routes.ts';
