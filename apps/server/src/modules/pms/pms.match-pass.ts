import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import type { MembersBulk } from '../members/index.ts';
import { buildMatchIndex, HUB_SURNAME_LIMIT, matchMember, memberLookupKeys, profileKeysOf, resolveClaims, type MatchDecision, type MatchProfile, type MemberKeys } from './pms.matching.ts';
import { memberKeysOf } from './pms.member-keys.ts';
import * as matchRepo from './pms.match.repository.ts';
import type { NormalisedProfile } from './pms.normalise.ts';
import * as repo from './pms.repository.ts';

/**
 * The sync's matching step (docs/pms-matching.md, decision 0010), database-backed so that it scales with the PMS:
 *  1. hubs are counted by the database over every live profile (`match_keys`, `surname`; migration 0029);
 *  2. members are read a page at a time; for each page the profiles around its members are fetched by key — those
 *     holding a member's ID or mobile, and everything grouped with them (same ID, same non-hub mobile, merge pointers,
 *     followed until nothing new comes) — so each person is whole, and the page's members are decided by the same pure
 *     rules (pms.matching.ts) as before; only the decisions (a few ids per member) are kept;
 *  3. rule 4 (a person two members would both get) over all decisions, then the decisions are applied a batch at a time
 *     in a few statements (links, review cases).
 * Nothing holds every profile: memory follows the number of members, and each profile is read about once per page that
 * needs it.
 */

/** What a profile keeps of the PMS row: the normalised keys, the ID number only as its blind index and masked form. */
export type StoredProfile = Omit<NormalisedProfile, 'id'> & { id: (NonNullable<NormalisedProfile['id']> & { masked: string }) | null };

export type MatchReport = {
  at: string;
  members: number;
  usableKey: number;
  coverage: number;
  matched: number;
  inReview: number;
  unmatched: number;
  /** Members whose key no PMS profile holds: guests who never stayed (pms.md §4.7), shown apart. */
  noPmsProfile: number;
  unmatchedReasons: Record<string, number>;
  reviewReasons: Record<string, number>;
  linkedByTier: Record<string, number>;
  /** Members staff said none of the candidates is: decided, so no longer counted against the rate. */
  rejectedByStaff: number;
  /** matched ÷ (members with a usable key that a PMS profile holds, less those staff rejected). */
  rate: number | null;
  /** matched ÷ every member with a usable key, guests who never stayed included. */
  rateAllWithKey: number | null;
  profiles: number;
  liveProfiles: number;
  linkedProfiles: number;
  stays: number;
  staysOnMembers: number;
};

const MEMBER_PAGE = 2000;
const APPLY_BATCH = 1000;

export function toMatchProfile(gcust: string, p: StoredProfile, deleted: boolean): MatchProfile {
  return {
    externalId: gcust,
    deleted,
    mergedInto: p.mergedInto ?? null,
    registeredName: p.registeredName ?? null,
    bookedName: p.bookedName ?? null,
    birthDate: p.birthDate ?? null,
    id: p.id ? { format: p.id.format, value: p.id.value, ...(p.id.issuingCountry ? { issuingCountry: p.id.issuingCountry } : {}) } : null,
    mobiles: p.mobiles ?? [],
  };
}

function fingerprintOf(memberId: string, candidates: Array<{ profileIds: string[] }>): string {
  const ids = candidates.flatMap((c) => c.profileIds).sort();
  return createHash('sha256').update(`${memberId}|${ids.join(',')}`).digest('base64url');
}

export function createMatchPass(deps: { clock: Clock; bulk: MembersBulk }) {
  const { clock, bulk } = deps;

  /** Profiles written before migration 0029 get their keys and surname (once; a sync after it writes them with every row). */
  async function fillMissingKeys(ctx: TenantContext, connectionId: string): Promise<void> {
    for (;;) {
      const rows = await matchRepo.findProfilesWithoutKeys(ctx.db, ctx.tenantId, connectionId, 2000);
      const keyed = rows.map((r) => ({ gcustCod: r.gcust_cod, deleted: r.deleted, ...profileKeysOf(toMatchProfile(r.gcust_cod, r.profile as unknown as StoredProfile, r.deleted)) }));
      await repo.replaceProfileKeys(ctx.db, ctx.tenantId, connectionId, keyed.map((k) => ({ gcustCod: k.gcustCod, matchKeys: k.deleted ? [] : k.matchKeys })));
      await matchRepo.setProfileSurnames(ctx.db, ctx.tenantId, connectionId, keyed);
      if (rows.length < 2000) return;
    }
  }

  /**
   * The live profiles around these members: every profile holding one of their keys, and transitively every profile
   * that could be grouped with one of those (same ID, same non-hub mobile, a merge pointer either way), so the persons
   * built from them are the persons the whole data set gives. Sorted by code, as a full read would be.
   */
  async function profilesAround(ctx: TenantContext, connectionId: string, members: MemberKeys[], hubs: Set<string>): Promise<MatchProfile[]> {
    const found = new Map<string, MatchProfile>();
    const askedKeys = new Set<string>();
    const askedCodes = new Set<string>();
    const usableKey = (k: string) => !(k.startsWith('M:') && hubs.has(k.slice(2)));
    let keys = [...new Set(members.flatMap(memberLookupKeys).filter(usableKey))];
    let codes: string[] = [];
    while (keys.length > 0 || codes.length > 0) {
      for (const k of keys) askedKeys.add(k);
      for (const c of codes) askedCodes.add(c);
      const rows = await matchRepo.findProfilesAround(ctx.db, ctx.tenantId, connectionId, keys, codes);
      const nextKeys = new Set<string>();
      const nextCodes = new Set<string>();
      for (const row of rows) {
        if (found.has(row.gcust_cod)) continue;
        const profile = toMatchProfile(row.gcust_cod, row.profile as unknown as StoredProfile, false);
        found.set(row.gcust_cod, profile);
        for (const k of profileKeysOf(profile).matchKeys) if (usableKey(k) && !askedKeys.has(k)) nextKeys.add(k);
        for (const c of [row.gcust_cod, row.merged_into]) if (c && !askedCodes.has(c)) nextCodes.add(c);
      }
      keys = [...nextKeys];
      codes = [...nextCodes];
    }
    return [...found.values()].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
  }

  /** Decides every member with a usable key, a page of members at a time; returns the decisions after rule 4. */
  async function decideAll(ctx: TenantContext, connection: repo.ConnectionRow, hubs: Set<string>): Promise<MatchDecision[]> {
    const options = { linkUnverifiedMobile: connection.linkUnverifiedMobile };
    const decisions: MatchDecision[] = [];
    for await (const page of bulk.memberMatchKeys(ctx, MEMBER_PAGE)) {
      const usable = page
        .map((m) =>
          memberKeysOf({
            source: 'stored',
            memberId: m.memberId,
            idType: m.idType,
            idNumberHash: m.idNumberHash,
            idNumberMasked: m.idNumberMasked,
            passportCountry: m.passportCountry,
            mobile: m.mobile,
            mobileVerified: m.mobileVerified,
            lastName: m.lastName,
            firstName: m.firstName,
            birthDate: m.birthday,
          }),
        )
        .filter((k) => k.id || k.mobile);
      const index = buildMatchIndex(await profilesAround(ctx, connection.id, usable, hubs), options, hubs);
      for (const member of usable) decisions.push(matchMember(member, index, options));
    }
    return resolveClaims(decisions);
  }

  /**
   * Matches every member with a usable key against this connection's profiles and applies the decisions: a link
   * attaches every profile of the person to the member (never one another member holds: that is a review); a review
   * opens (or refreshes) the member's case unless staff rejected the same candidates before; links staff made or the
   * sync made earlier are kept. Everything is in the caller's transaction.
   */
  async function matchConnection(ctx: TenantContext, connection: repo.ConnectionRow): Promise<{ report: MatchReport; newlyLinked: number }> {
    const now = clock.now();
    await fillMissingKeys(ctx, connection.id);
    const hubs = await matchRepo.findHubNumbers(ctx.db, ctx.tenantId, connection.id, HUB_SURNAME_LIMIT);
    const decisions = await decideAll(ctx, connection, hubs);
    const rejected = await repo.findRejectedFingerprints(ctx.db, ctx.tenantId, connection.id);
    const openCases = await repo.findOpenCases(ctx.db, ctx.tenantId, connection.id);
    const keepOpen = new Set<string>();

    const report: MatchReport = {
      at: now.toISOString(),
      members: await bulk.countLiveMembers(ctx),
      usableKey: decisions.length,
      coverage: 0,
      matched: 0,
      inReview: 0,
      unmatched: 0,
      noPmsProfile: 0,
      rejectedByStaff: 0,
      unmatchedReasons: {},
      reviewReasons: {},
      linkedByTier: {},
      rate: null,
      rateAllWithKey: null,
      profiles: 0,
      liveProfiles: 0,
      linkedProfiles: 0,
      stays: 0,
      staysOnMembers: 0,
    };
    const bump = (record: Record<string, number>, key: string) => void (record[key] = (record[key] ?? 0) + 1);
    let newlyLinked = 0;

    for (let start = 0; start < decisions.length; start += APPLY_BATCH) {
      const batch = decisions.slice(start, start + APPLY_BATCH);
      const codes = batch.flatMap((d) => (d.outcome === 'linked' ? d.profileIds : []));
      const links = await matchRepo.findLinksAround(ctx.db, ctx.tenantId, connection.id, batch.map((d) => d.memberId), codes);
      const linkedTo = new Map(links.map((l) => [l.gcust_cod, l.member_id]));
      const heldBy = new Map<string, number>();
      for (const l of links) heldBy.set(l.member_id, (heldBy.get(l.member_id) ?? 0) + 1);
      const toLink: Array<{ memberId: string; gcustCod: string; tier: string }> = [];
      const cases: matchRepo.CaseWrite[] = [];

      const review = (memberId: string, candidates: Array<{ personId: string; profileIds: string[] }>, reasons: string[]) => {
        const fingerprint = fingerprintOf(memberId, candidates);
        if (rejected.has(fingerprint)) {
          report.unmatched++;
          report.rejectedByStaff++;
          bump(report.unmatchedReasons, 'rejected_by_staff');
          return;
        }
        cases.push({ id: newId(), memberId, candidates, reasons, fingerprint });
        keepOpen.add(memberId);
        report.inReview++;
        for (const reason of reasons) bump(report.reviewReasons, reason);
      };

      for (const decision of batch) {
        const memberId = decision.memberId;
        const held = heldBy.get(memberId) ?? 0;
        if (decision.outcome === 'linked') {
          const takenByOthers = decision.profileIds.some((id) => linkedTo.has(id) && linkedTo.get(id) !== memberId);
          if (takenByOthers && held === 0) {
            // The person is (partly) another member's already: two members for one guest is for staff to decide.
            review(memberId, [{ personId: decision.personId, profileIds: decision.profileIds }], [...decision.reasons, 'profile_linked_to_other_member']);
            continue;
          }
          // Persons do not overlap, so no two decisions of one run link the same profile.
          for (const id of decision.profileIds) if (!linkedTo.has(id)) toLink.push({ memberId, gcustCod: id, tier: decision.tier });
          report.matched++;
          bump(report.linkedByTier, decision.tier);
          continue;
        }
        if (held > 0) {
          // Linked before (by staff, or by an earlier run): a link is never undone by a later guess.
          report.matched++;
          bump(report.linkedByTier, 'kept');
          continue;
        }
        if (decision.outcome === 'review') {
          review(memberId, decision.candidates, decision.reasons);
          continue;
        }
        report.unmatched++;
        for (const reason of decision.reasons) bump(report.unmatchedReasons, reason);
        if (decision.reasons.includes('no_candidate')) report.noPmsProfile++;
      }
      const linked = await matchRepo.linkProfilesBatch(ctx.db, ctx.tenantId, connection.id, toLink, 'auto', now);
      for (const memberId of new Set(linked.map((l) => l.member_id))) if (!heldBy.has(memberId)) newlyLinked++;
      await matchRepo.upsertOpenCases(ctx.db, ctx.tenantId, connection.id, cases, now);
    }
    // Cases whose member is linked now, or no longer a question: closed as superseded.
    await repo.supersedeCases(ctx.db, ctx.tenantId, openCases.filter((c) => !keepOpen.has(c.memberId)).map((c) => c.id), now);

    const totals = await repo.countProfiles(ctx.db, ctx.tenantId, connection.id);
    report.profiles = totals.profiles;
    report.liveProfiles = totals.live;
    report.linkedProfiles = totals.linked;
    report.coverage = report.members > 0 ? report.usableKey / report.members : 0;
    const withProfile = report.usableKey - report.noPmsProfile - report.rejectedByStaff;
    report.rate = withProfile > 0 ? report.matched / withProfile : null;
    report.rateAllWithKey = report.usableKey > 0 ? report.matched / report.usableKey : null;
    return { report, newlyLinked };
  }

  return { matchConnection };
}
