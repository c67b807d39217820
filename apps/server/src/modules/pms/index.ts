/**
 * PMS integration (issue 8). So far the pure core: 德安 record shapes, normalisation of both sides' keys and the
 * guest matcher. Not yet registered in the runtime, routes or migrations.
 */
export type { DeanGuestRow, DeanStayRow, StatusDialect, StatusTable, StayStatus } from './pms.dean.ts';
export { STATUS_DIALECTS, mapStayStatus } from './pms.dean.ts';
export type { IdFormat, IdKey, IdRejection, IdResult, NormalisedProfile, PhoneFieldResult, PhoneKey, ProfileIssue } from './pms.normalise.ts';
export { cleanName, isOtaRelayEmail, normaliseCountry, normaliseDeanProfile, normaliseIdNos, normalisePhoneField } from './pms.normalise.ts';
export type { NameVerdict, PersonName, ProfileNames } from './pms.names.ts';
export { compareNames } from './pms.names.ts';
export type { MatchDecision, MatchIndex, MatchOptions, MatchProfile, MatchReason, MatchTier, MemberKeys, Person } from './pms.matching.ts';
export { blindIndexProfiles, buildMatchIndex, detectHubNumbers, groupPersons, matchMember, matchMembers } from './pms.matching.ts';
export type { MemberSide } from './pms.member-keys.ts';
export { memberKeysOf } from './pms.member-keys.ts';
