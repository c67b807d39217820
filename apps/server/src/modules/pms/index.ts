import { contribute, defineModule, type Platform } from '../../core/module.ts';
import { memberEditHooks, memberEraseHooks, memberMergeHooks, type MembersService } from '../members/index.ts';
import { z } from 'zod';
import type { JobDefinition } from '../../core/jobs/queue.ts';
import { auditTargetLabelers } from '../audit/index.ts';
import { findConnectionNames, forgetMember, moveProfileLinks } from './pms.repository.ts';
import { createPmsPush } from './pms.push.ts';
import { pmsFileRoutes } from './pms.files.routes.ts';
import { createPmsFilesService } from './pms.files.service.ts';
import { createPmsGenericService } from './pms.generic.service.ts';
import { pmsRoutes } from './pms.routes.ts';
import { createPmsService } from './pms.service.ts';
import { createPmsSync, type SyncOptions } from './pms.sync.ts';

/**
 * PMS integration (issue 8, decision 0010): 德安 record shapes, normalisation of both sides' keys, the guest matcher,
 * the 德安 HTTP connector, scheduled and on-demand sync runs on the job queue, the match reviews and the PMS page.
 */
export type { DeanGuestRow, DeanStayRow, StatusDialect, StatusTable, StayStatus } from './pms.dean.ts';
export { STATUS_DIALECTS, mapStayStatus } from './pms.dean.ts';
export type { IdFormat, IdKey, IdRejection, IdResult, NormalisedProfile, PhoneFieldResult, PhoneKey, ProfileIssue } from './pms.normalise.ts';
export { boundDeanRow, cleanName, isOtaRelayEmail, MAX_FIELD_LENGTH, normaliseCountry, normaliseDeanProfile, normaliseIdNos, normalisePhoneField, parseBirthDate } from './pms.normalise.ts';
export type { NameVerdict, PersonName, ProfileNames } from './pms.names.ts';
export { compareNames } from './pms.names.ts';
export type { MatchDecision, MatchIndex, MatchOptions, MatchProfile, MatchReason, MatchTier, MemberKeys, Person } from './pms.matching.ts';
export { blindIndexProfiles, buildMatchIndex, detectHubNumbers, groupPersons, matchMember, matchMembers } from './pms.matching.ts';
export type { MemberSide } from './pms.member-keys.ts';
export { memberKeysOf } from './pms.member-keys.ts';
export { createDeanHttpConnector, PmsError, type PmsConnector, type PullPage, type PullRequest } from './pms.connector.ts';
export { dropRootProblem } from './pms.drop-folder.ts';
export { SYNC_JOB, shiftLocal, type MatchReport, type PmsSync, type SyncOptions } from './pms.sync.ts';
export type { PmsService } from './pms.service.ts';

/** The module with sync options (page size, HTTP timeouts; a test's fault hooks): tests put it in place of pmsModule. */
export function createPmsModule(options: SyncOptions = {}) {
  return defineModule({
  name: 'pms',
  // members.edit: the PMS match reviews are decided in 綁定審核 by those who decide LINE bindings.
  permissions: ['pms.view', 'pms.manage', 'members.read', 'members.edit', 'personal_data.unmasked'],
  create: ({ db, clock, keyring, queue, config, members }: Platform & { members: MembersService }) => {
    const pmsSync = createPmsSync({ db, clock, keyring, queue, options, allowPrivateNetwork: config.pms.allowPrivateNetwork, dropRoot: config.pms.dropRoot });
    const pmsPush = createPmsPush({ db, clock, queue, sync: pmsSync });
    const pms = createPmsService({ clock, keyring, sync: pmsSync, push: pmsPush, members, allowHttp: config.pms.allowHttp, allowPrivateNetwork: config.pms.allowPrivateNetwork, dropRootConfigured: Boolean(config.pms.dropRoot) });
    const pmsFiles = createPmsFilesService({ sync: pmsSync, dropRoot: config.pms.dropRoot });
    const pmsGeneric = createPmsGenericService({ sync: pmsSync, clock });
    return {
      services: { pms, pmsSync, pmsPush, pmsFiles },
      routes: [pmsRoutes(pms), pmsFileRoutes(pmsFiles, pmsGeneric)],
      jobs: [
        ...pmsSync.jobs(),
        ...pmsPush.jobs(),
        // Every minute, one job for all hotel groups: the due connections are claimed and their runs started (each
        // connection's own schedule, backoff after failures, the nightly full walk). pg-boss makes one job per minute
        // whatever the number of workers; the claim keeps two overlapping ones from starting a connection twice.
        { name: 'pms.schedule', schema: z.strictObject({}), cron: '* * * * *', handler: async () => void (await pmsSync.scheduleDue()) } as JobDefinition<object>,
      ],
      // A merged guest's PMS profiles follow the member kept.
      contributes: [
        ...contribute(memberMergeHooks, async (ctx, { keepId, mergedId }) => moveProfileLinks(ctx.db, ctx.tenantId, mergedId, keepId)),
        // A linked member's edits of the fields the PMS holds are pushed back (outbox, decision 0010).
        ...contribute(memberEditHooks, pmsPush.onMemberEdited),
        // 稽核紀錄 names a connection by its name.
        ...contribute(auditTargetLabelers, { pms_connection: (ctx, ids) => findConnectionNames(ctx.db, ctx.tenantId, ids) }),
        // Erasing a guest removes the changes still holding their values and unlinks their PMS profiles.
        ...contribute(memberEraseHooks, async (ctx, erased) => forgetMember(ctx.db, ctx.tenantId, erased.memberId)),
      ],
    };
  },
  });
}

export const pmsModule = createPmsModule();
