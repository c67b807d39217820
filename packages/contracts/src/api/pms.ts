import { z } from 'zod';
import { ZCleanName } from './fields.ts';
import { pageOf, ZPageQuery } from './pages.ts';

/** The PMS page (modules/pms): the connection, its sync runs, the match report and the PMS match reviews. */

const ZHotelCode = z.string().trim().min(1).max(20);

/** A drop folder: one plain folder name under the server's PMS_DROP_ROOT (contract §9). */
const ZDropDir = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);

export const ZPmsConnectionInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** dean_http: the HTTP contract (§1–8); dean_file: 德安 export files only, dropped or uploaded (§9). */
  kind: z.enum(['dean_http', 'dean_file']).default('dean_http'),
  /** The 德安 contract's base URL, e.g. https://pms-agent.hotel.example/dean/v1 (https:// outside the demo). */
  baseUrl: z.url().max(500).optional(),
  /** X-Api-Key; stored encrypted, never shown again (only its last 4 characters). */
  apiKey: z.string().min(16).max(200).optional(),
  /** The drop folder's name under PMS_DROP_ROOT; null = files come by upload only. */
  dropDir: ZDropDir.nullable().optional(),
  /** X-Hotel-Cod; null = every property the key covers. */
  hotelCod: ZHotelCode.nullable().optional(),
  /** HOTEL_COD → property id, for the stays. */
  propertyMap: z.record(ZHotelCode, z.uuid()).default({}),
  /** Where a stay of an unmapped hotel goes (none: such stays are set aside with a reason). */
  defaultPropertyId: z.uuid().nullable().optional(),
  statusDialect: z.enum(['KTW', 'BACCHUS']).default('KTW'),
  scheduleMinutes: z.number().int().min(5).max(1440).default(15),
  overlapSeconds: z.number().int().min(0).max(3600).default(120),
  enabled: z.boolean().default(true),
  linkUnverifiedMobile: z.boolean().default(false),
}).superRefine((input, issues) => {
  // The HTTP transport needs its address and key; a file connection has neither.
  if (input.kind !== 'dean_http') return;
  if (!input.baseUrl) issues.addIssue({ code: 'custom', path: ['baseUrl'], message: 'required' });
  if (!input.apiKey) issues.addIssue({ code: 'custom', path: ['apiKey'], message: 'required' });
});

/** Changes to a connection: any field; `apiKey` only when it is replaced. */
export const ZPmsConnectionPatch = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  baseUrl: z.url().max(500).optional(),
  apiKey: z.string().min(16).max(200).optional(),
  dropDir: ZDropDir.nullable().optional(),
  hotelCod: ZHotelCode.nullable().optional(),
  propertyMap: z.record(ZHotelCode, z.uuid()).optional(),
  defaultPropertyId: z.uuid().nullable().optional(),
  statusDialect: z.enum(['KTW', 'BACCHUS']).optional(),
  scheduleMinutes: z.number().int().min(5).max(1440).optional(),
  overlapSeconds: z.number().int().min(0).max(3600).optional(),
  enabled: z.boolean().optional(),
  linkUnverifiedMobile: z.boolean().optional(),
});

export const ZPmsConnectionParams = z.strictObject({ connectionId: z.uuid() });

export const ZPmsMatchReport = z.object({
  at: z.string(),
  members: z.number().int(),
  usableKey: z.number().int(),
  coverage: z.number(),
  matched: z.number().int(),
  inReview: z.number().int(),
  unmatched: z.number().int(),
  noPmsProfile: z.number().int(),
  rejectedByStaff: z.number().int().default(0),
  unmatchedReasons: z.record(z.string(), z.number().int()),
  reviewReasons: z.record(z.string(), z.number().int()),
  linkedByTier: z.record(z.string(), z.number().int()),
  rate: z.number().nullable(),
  rateAllWithKey: z.number().nullable(),
  profiles: z.number().int(),
  liveProfiles: z.number().int(),
  linkedProfiles: z.number().int(),
  stays: z.number().int(),
  staysOnMembers: z.number().int(),
  /** The field sync, PMS → members (decision 0010): what it did and the first 200 conflicts. */
  fields: z
    .object({
      optedOut: z.number().int(),
      filled: z.number().int(),
      takenFromPms: z.number().int(),
      keptCrm: z.number().int(),
      conflicts: z.array(z.object({ memberId: z.string(), gcustCod: z.string(), field: z.string(), outcome: z.string() })),
    })
    .optional(),
});

export const ZPmsRun = z.object({
  id: z.string(),
  /** 'full': the nightly full walk (both feeds read from the start). */
  trigger: z.enum(['schedule', 'manual', 'upload', 'full']),
  status: z.enum(['running', 'succeeded', 'failed']),
  phase: z.enum(['profiles', 'stays', 'matching', 'stays_to_members', 'done']),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  pulledProfiles: z.number().int(),
  pulledStays: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  linked: z.number().int(),
  inReview: z.number().int(),
  unmatched: z.number().int(),
  rejected: z.number().int(),
  staysApplied: z.number().int(),
  /** Quarantined rows (the first 200): the record's key and why. */
  rejects: z.array(z.object({ stream: z.enum(['guests', 'stays']), key: z.string(), reason: z.string(), file: z.string().optional(), row: z.number().int().optional() })),
  errors: z.array(z.object({ at: z.string(), code: z.string(), message: z.string(), attempt: z.number().int() })),
  report: ZPmsMatchReport.nullable(),
  /** The files the run took (the run history only): a 德安 export ('dean') or another PMS's file ('generic'). */
  files: z.array(z.object({ name: z.string(), layout: z.enum(['dean', 'generic']) })).optional(),
});
export const ZPmsRunList = z.object({ data: z.array(ZPmsRun) });

export const ZPmsConnection = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['dean_http', 'dean_file']),
  baseUrl: z.string(),
  apiKeyHint: z.string(),
  /** The drop folder's name under PMS_DROP_ROOT, and whether the server has that root at all. */
  dropDir: z.string().nullable(),
  dropRootConfigured: z.boolean(),
  hotelCod: z.string().nullable(),
  propertyMap: z.record(z.string(), z.string()),
  defaultPropertyId: z.string().nullable(),
  statusDialect: z.enum(['KTW', 'BACCHUS']),
  scheduleMinutes: z.number().int(),
  overlapSeconds: z.number().int(),
  enabled: z.boolean(),
  linkUnverifiedMobile: z.boolean(),
  consecutiveFailures: z.number().int(),
  /** Shown on the PMS page: the PMS refused the key, or failed three runs in a row. */
  alert: z.object({ code: z.string(), message: z.string(), since: z.date().nullable() }).nullable(),
  nextRunAt: z.date().nullable(),
  lastSuccessAt: z.date().nullable(),
  /** When the last full walk started (the nightly one, read from the start; the first load counts as one). */
  lastFullAt: z.date().nullable(),
  /** The run under way, with its progress. */
  running: ZPmsRun.nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const ZPmsConnectionList = z.object({ data: z.array(ZPmsConnection) });

export const ZPmsHealth = z.object({
  ok: z.boolean(),
  code: z.string().nullable(),
  message: z.string().nullable(),
  serverTime: z.string().nullable(),
  /** The PMS clock minus ours, in seconds (the cursor overlap must exceed it). */
  clockSkewSeconds: z.number().nullable(),
  hotels: z.array(z.object({ code: z.string(), name: z.string() })),
  writable: z.array(z.string()),
  statusDialect: z.string().nullable(),
});

/** The match report now: the last finished run's figures with the live totals. */
export const ZPmsReport = z.object({
  report: ZPmsMatchReport.nullable(),
  openReviews: z.number().int(),
  lastRunAt: z.date().nullable(),
  /** CRM edits pushed back to the PMS, by outcome (pending, applied, noop, conflict, change_file, rejected). */
  pushBack: z.record(z.string(), z.number().int()),
});

/** A page of the review queue (20 cards by default), by status and, optionally, one reason (a case has one or more). */
export const ZPmsReviewQuery = z.strictObject({
  ...ZPageQuery.shape,
  status: z.enum(['open', 'linked', 'rejected']).default('open'),
  reason: z.string().trim().min(1).max(50).regex(/^[a-z_]+$/).optional(),
});
export const ZPmsReviewParams = z.strictObject({ caseId: z.uuid() });
export const ZPmsReviewLinkRequest = z.strictObject({ profileIds: z.array(z.string().min(1).max(40)).min(1).max(50) });

/** A PMS guest profile as staff see it: masked keys, names as the PMS holds them. */
export const ZPmsProfileView = z.object({
  gcustCod: z.string(),
  registeredName: z.string().nullable(),
  bookedName: z.string().nullable(),
  mobiles: z.array(z.string()),
  email: z.string().nullable(),
  identity: z.object({ format: z.string(), masked: z.string() }).nullable(),
  birthDate: z.string().nullable(),
  hotelCod: z.string().nullable(),
  updatedAt: z.string(),
  deleted: z.boolean(),
  /** The member this profile is linked to, if any (another member's: picking it is refused). */
  linkedMemberId: z.string().nullable(),
  stays: z.number().int(),
  lastStay: z.string().nullable(),
});

export const ZPmsReview = z.object({
  id: z.string(),
  status: z.enum(['open', 'linked', 'rejected', 'superseded']),
  reasons: z.array(z.string()),
  member: z.object({
    id: z.string(),
    memberNo: z.string(),
    lastName: z.string(),
    firstName: z.string(),
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    identity: z.object({ type: z.string(), masked: z.string(), passportCountry: z.string().nullable() }).nullable(),
    birthday: z.string().nullable(),
  }),
  candidates: z.array(z.object({ personId: z.string(), profiles: z.array(ZPmsProfileView) })),
  resolvedProfileIds: z.array(z.string()).nullable(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
});
export const ZPmsReviewList = pageOf(ZPmsReview);
export const ZPmsReviewResolved = z.object({ ok: z.literal(true), linkedProfiles: z.number().int() });

export const ZMemberPmsProfiles = z.object({ data: z.array(ZPmsProfileView) });

/** GET /api/pms/connections/:id/conflicts: a page of the field conflicts the sync recorded, newest first. */
export const ZPmsConflictQuery = z.strictObject({ ...ZPageQuery.shape, field: z.enum(['email', 'mobile', 'marketingOptIn']).optional() });
/** A contact field both sides changed: the later change won (decision 0010). Values masked; an opt-in's as opt_out / opt_in. */
export const ZPmsFieldConflict = z.object({
  id: z.string(),
  member: z.object({ id: z.string(), memberNo: z.string(), lastName: z.string(), firstName: z.string() }),
  gcustCod: z.string(),
  field: z.enum(['email', 'mobile', 'marketingOptIn']),
  pmsValue: z.string().nullable(),
  crmValue: z.string().nullable(),
  kept: z.enum(['pms', 'crm']),
  pmsChangedAt: z.date().nullable(),
  crmChangedAt: z.date().nullable(),
  recordedAt: z.date(),
});
export const ZPmsConflictPage = pageOf(ZPmsFieldConflict);

/** A 德安 export file dropped or uploaded (contract §9): recorded by its SHA-256, applied once. */
export const ZPmsFile = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  name: z.string(),
  source: z.enum(['drop', 'upload']),
  /** dean: 德安's columns; generic: any PMS's export, applied through a column mapping. */
  layout: z.enum(['dean', 'generic']),
  feed: z.enum(['guests', 'stays']).nullable(),
  format: z.enum(['csv', 'xlsx']).nullable(),
  encoding: z.string().nullable(),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  /** mapping: a generic file waiting for staff to map its columns. */
  status: z.enum(['mapping', 'pending', 'applied', 'duplicate', 'rejected']),
  rowsTotal: z.number().int(),
  rowsDone: z.number().int(),
  rejected: z.number().int(),
  /** Why a whole file was refused (e.g. `missing_columns: UPD_DAT`). */
  reason: z.string().nullable(),
  /** For a duplicate: the file with the same content, applied before. */
  duplicateOf: z.string().nullable(),
  receivedAt: z.date(),
  finishedAt: z.date().nullable(),
  archivedAt: z.date().nullable(),
});
export const ZPmsFileList = z.object({ data: z.array(ZPmsFile) });
/**
 * The connection's drop folder checked as a run would check it (nothing created): `ok`, `not_created` (the first run
 * creates it) or what keeps files dropped there from being read — PMS_DROP_ROOT unset, missing, not a folder, not
 * writable; the folder a link out of the root, not writable, or claimed by another hotel group. `dir` null: none set.
 */
export const ZPmsDropFolder = z.object({
  dir: z.string().nullable(),
  /** Where it lies under PMS_DROP_ROOT (`<hotel group id>/<dir>`), for the hotel's IT to point the export job at. */
  path: z.string().nullable(),
  state: z.enum(['ok', 'not_created', 'drop_root_unset', 'drop_root_missing', 'drop_root_not_folder', 'drop_root_not_writable', 'drop_dir_outside_root', 'drop_dir_not_writable', 'drop_dir_claimed']).nullable(),
});
/** An upload: the file as recorded and the run that applies it (null: a sync is running; the next run applies it). */
export const ZPmsFileUploaded = z.object({ file: ZPmsFile, run: ZPmsRun.nullable() });

/** Innkeeper's fields a generic file's columns map to (modules/pms/pms.generic.ts). */
export const PMS_GENERIC_FIELDS = [
  'guestKey', 'fullName', 'lastName', 'firstName', 'gender', 'birthDate', 'idNumber', 'country', 'mobile', 'phone', 'email', 'updatedAt',
  'stayKey', 'checkIn', 'checkOut', 'roomType', 'hotelCode', 'roomNumber', 'adults', 'children',
] as const;
/** The longest column header a mapping names (the generic import cuts longer headers to it). */
export const PMS_COLUMN_NAME_MAX = 200;
const ZColumnName = z.string().trim().min(1).max(PMS_COLUMN_NAME_MAX);
/** Field → the file's column (by its header). */
export const ZPmsColumnMapping = z.partialRecord(z.enum(PMS_GENERIC_FIELDS), ZColumnName);
export const ZPmsGenericParams = z.strictObject({ connectionId: z.uuid(), fileId: z.uuid() });
/** A dry run or an apply: the mapping (a guest key is required: it is the profile's key). */
export const ZPmsMappingRequest = z.strictObject({
  mapping: ZPmsColumnMapping.refine((m) => Boolean(m.guestKey), { message: 'required', path: ['guestKey'] }),
});
export const ZPmsGenericUploaded = z.object({
  file: ZPmsFile,
  columns: z.array(z.string()),
  /** The first rows, personal data masked (IDs, phones, e-mail addresses). */
  sample: z.array(z.array(z.string())),
  /**
   * The same cells as typed where their shape cannot be personal data (a date, a time, a small count; null otherwise):
   * the screen shows them for a column imported as a date, a count, a room type or a code, so the format can be checked.
   */
  samplePlain: z.array(z.array(z.string().nullable())),
  suggestedMapping: ZPmsColumnMapping,
});
const ZCounts = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export const ZPmsDryRun = z.object({
  rows: z.number().int(),
  profiles: ZCounts,
  stays: ZCounts,
  rejected: z.number().int(),
  /** The first 200 rows set aside, with their row number and reason. */
  rejects: z.array(z.object({ stream: z.enum(['guests', 'stays']), key: z.string(), reason: z.string(), row: z.number().int().optional() })),
  matching: z.object({
    newlyLinked: z.number().int(),
    matched: z.number().int(),
    inReview: z.number().int(),
    unmatched: z.number().int(),
    unmatchedReasons: z.record(z.string(), z.number().int()),
    reviewReasons: z.record(z.string(), z.number().int()),
  }),
});
export const ZPmsSavedMapping = z.object({ id: z.string(), name: z.string(), mapping: ZPmsColumnMapping, createdAt: z.date(), updatedAt: z.date() });
export const ZPmsSavedMappingList = z.object({ data: z.array(ZPmsSavedMapping) });
export const ZPmsSavedMappingInput = z.strictObject({ name: ZCleanName(100), mapping: ZPmsColumnMapping });
export const ZPmsSavedMappingPatch = z.strictObject({ name: ZCleanName(100).optional(), mapping: ZPmsColumnMapping.optional() });
export const ZPmsSavedMappingParams = z.strictObject({ connectionId: z.uuid(), mappingId: z.uuid() });
