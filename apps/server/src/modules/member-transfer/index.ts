import { contribute, defineModule, type Platform } from '../../core/module.ts';
import { memberEraseHooks } from '../members/index.ts';
import type { SegmentsService } from '../segments/index.ts';
import type { TagsService } from '../tags/index.ts';
import { eraseFromImportFiles, expireImportFilesJob } from './import-files.ts';
import { memberTransferRoutes } from './member-transfer.routes.ts';
import { MEMBER_TRANSFER_FIELD_MESSAGES } from './member-transfer.messages.ts';
import { createMemberTransferService } from './member-transfer.service.ts';

export type { MemberTransferService } from './member-transfer.service.ts';
export { MEMBER_TRANSFER_FIELD_MESSAGES } from './member-transfer.messages.ts';

export const memberTransferModule = defineModule({
  name: 'member-transfer',
  permissions: ['members.edit', 'reports.download'],
  fieldMessages: MEMBER_TRANSFER_FIELD_MESSAGES,
  create: ({ db, keyring, clock, queue, tags, segments }: Platform & { tags: TagsService; segments: SegmentsService }) => {
    const memberTransfer = createMemberTransferService({ db, keyring, clock, tags, segments, queue });
    return {
      services: { memberTransfer },
      routes: [memberTransferRoutes(memberTransfer)],
      jobs: [memberTransfer.job, ...expireImportFilesJob({ db, clock, queue })],
      // An erased guest leaves no trace in uploaded import files either.
      contributes: contribute(memberEraseHooks, async (ctx, erased) => void (await eraseFromImportFiles(ctx, erased, clock.now()))),
    };
  },
});
// The spreadsheet reader (CSV in UTF-8/Big5, XLSX) is shared with the PMS file transport.
export { decodeText, detectFormat, readSheet, type Sheet, type SheetFormat } from './spreadsheet-reader.ts';
