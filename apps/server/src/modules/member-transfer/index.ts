export { createMemberTransferService, type MemberTransferService } from './member-transfer.service.ts';
export { memberTransferRoutes } from './member-transfer.routes.ts';
export { MEMBER_TRANSFER_FIELD_MESSAGES } from './member-transfer.messages.ts';
export { eraseFromImportFiles, expireImportFilesJob } from './import-files.ts';
