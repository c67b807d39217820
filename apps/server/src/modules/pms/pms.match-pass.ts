import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { TenantContext } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import type { MembersBulk } from '../members/index.ts';
import { buildMatchIndex, HUB_SURNAME_LIMIT, matchMember, memberLookupKeys, profileKeysOf, resolveClaims, type MatchDecision, type MatchProfile, type MemberKeys } from './pms.matching.ts';
import { memberKeysOf } from './pms.member-keys.ts';
import { addTally, emptyCounts, REJECTED_TALLY, unmatchedTally, type DecisionTally, type TallyCounts } from './pms.decision-tally.ts';
import * as matchRepo from './pms.match.repository.ts';
import { inputHash, membersWithChangedInputs } from './pms.match-scope.ts';
import * as state from './pms.match-state.repository.ts';
import type { NormalisedProfile } from './pms.normalise.ts';
import * as repo from './pms.repository.ts';

/**
 * The sync's matching step (docs/pms-matching.md, decision 0010), database-backed so that it scales with the PMS:
 *  1. hubs are counted by the database over every live profile (`match_keys`, `surname`; migration 0029);
 *  2. the members to decide are chosen: every member on a first match or new rules, else only those around what
 *     changed since the last match (pms.match-scope.ts, migration 0038);
 *  3. they are decided a page at a time: for each page the profiles around its members are fetched by key — those
 *     holding a member's ID or mobile, and everything grouped with them (same ID, same non-hub mobile, merge pointers,
 *     followed until nothing new comes) — so each person is whole, and the page's members are decided by the same pure
 *     rules (pms.matching.ts) as before; only the decisions (a few ids per member) are kept;
 *  4. rule 4 (a person two members would both get) over these decisions and the claims of the members not decided
 *     again, then the decisions are applied a batch at a time in a few statements (links, review cases), and each
 *     member's decision stored with what the report counts of it.
 * Nothing holds every profile: memory follows the number of members, and each profile is read about once per page that
 * needs it.
 */

/**
 * The version of the matching rules (pms.matching.ts, pms.names.ts, pms.romanise.ts, pms.member-keys.ts and the
 * application below). Bump it with any change to them: the next sync then decides every member again instead of only
 * those around its changes.
 */
export const RULES_VERSION = 'rules-1';

/** What a profile keeps of the PMS row: the normalised keys, the ID number only as its blind index and masked form. */
export type StoredProfile = Omit<NormalisedProfile, 'id'> & { id: (NonNullable<NormalisedProfile['id']> & { masked: string }) | null };

/** The report the PMS page shows: every member's stored tally summed (pms.decision-tally.ts), and the figures around it. */
export type MatchReport = TallyCounts & {
  at: string;
  members: number;
  coverage: number;
  /** matched ÷ (members with a usable key that a PMS profile holds, less those staff rejected). */
  rate: number | null;
  /** matched ÷ every member with a usable key, guests who never stayed included. */
  rateAllWithKey: number | null;
  profiles: number;
  liveProfiles: number;
  linkedProfiles: number;
  stays: number;
  staysOnMembers: number;
  /** Members decided by this run (the others' decisions were unchanged inputs, pms.match-scope.ts); not shown. */
  decided?: number;
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
   * The live profiles around some keys and codes: every profile holding one of the keys (hubs too when `throughHubs`:
   * the keys a change touched), named by a code or merged into one, and transitively every profile that could be
   * grouped with one of those (same ID, same non-hub mobile, a merge pointer either way), so the persons built from them
   * are the persons the whole data set gives. Sorted by code, as a full read would be.
   */
  async function profilesAround(ctx: TenantContext, connectionId: string, startKeys: string[], startCodes: string[], hubs: Set<string>, throughHubs = false): Promise<MatchProfile[]> {
    const found = new Map<string, MatchProfile>();
    const askedKeys = new Set<string>();
    const askedCodes = new Set<string>();
    const usableKey = (k: string) => !(k.startsWith('M:') && hubs.has(k.slice(2)));
    let keys = [...new Set(throughHubs ? startKeys : startKeys.filter(usableKey))];
    let codes = [...new Set(startCodes)];
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

  /** Every live member with a usable key, with its keys as matching reads them and their hash. */
  async function usableMembers(ctx: TenantContext): Promise<Map<string, { keys: MemberKeys; hash: string }>> {
    const members = new Map<string, { keys: MemberKeys; hash: string }>();
    for await (const page of bulk.memberMatchKeys(ctx, MEMBER_PAGE)) {
      for (const m of page) {
        const keys = memberKeysOf({
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
        });
        if (keys.id || keys.mobile) members.set(m.memberId, { keys, hash: inputHash(keys) });
      }
    }
    return members;
  }

  /** Decides these members (raw: before rule 4), a page at a time against the profiles around each page. */
  async function decide(ctx: TenantContext, connection: repo.ConnectionRow, members: MemberKeys[], hubs: Set<string>): Promise<MatchDecision[]> {
    const options = { linkUnverifiedMobile: connection.linkUnverifiedMobile };
    const decisions: MatchDecision[] = [];
    for (let i = 0; i < members.length; i += MEMBER_PAGE) {
      const page = members.slice(i, i + MEMBER_PAGE);
      const index = buildMatchIndex(await profilesAround(ctx, connection.id, page.flatMap(memberLookupKeys), [], hubs), options, hubs);
      for (const member of page) decisions.push(matchMember(member, index, options));
    }
    return decisions;
  }

  /**
   * Matches the members with a usable key against this connection's profiles and applies the decisions: a link
   * attaches every profile of the person to the member (never one another member holds: that is a review); a review
   * opens (or refreshes) the member's case unless staff rejected the same candidates before; links staff made or the
   * sync made earlier are kept. Only the members around what changed since the last match are decided again
   * (pms.match-scope.ts); `full`, new rules or a connection never matched decide every member. The report is the sum
   * of every member's last decision. Everything is in the caller's transaction.
   */
  async function matchConnection(ctx: TenantContext, connection: repo.ConnectionRow, opts: { full?: boolean } = {}): Promise<{ report: MatchReport; newlyLinked: number; decided: number }> {
    const now = clock.now();
    const { tenantId } = ctx;
    await fillMissingKeys(ctx, connection.id);
    const hubs = await matchRepo.findHubNumbers(ctx.db, tenantId, connection.id, HUB_SURNAME_LIMIT);
    const rules = `${RULES_VERSION}|hubs>${HUB_SURNAME_LIMIT}|unverified:${connection.linkUnverifiedMobile}`;
    const full = opts.full === true || (await state.findRules(ctx.db, tenantId, connection.id)) !== rules;
    const members = await usableMembers(ctx);
    const stored = await state.findMemberMatches(ctx.db, tenantId, connection.id);
    const rejected = await repo.findRejectedFingerprints(ctx.db, tenantId, connection.id);
    const dirty = await state.findDirty(ctx.db, tenantId, connection.id);

    let affected: Set<string>;
    if (full) affected = new Set([...members.keys(), ...stored.keys()]);
    else {
      const changed = membersWithChangedInputs(members, stored, await state.findLinks(ctx.db, tenantId, connection.id), rejected);
      affected = changed.affected;
      const around = await profilesAround(ctx, connection.id, dirty.keys, [...dirty.codes, ...changed.linkCodes], hubs, true);
      const touched = new Set([...dirty.keys, ...around.flatMap((p) => profileKeysOf(p).matchKeys)]);
      for (const [id, m] of members) if (!affected.has(id) && memberLookupKeys(m.keys).some((k) => touched.has(k))) affected.add(id);
    }
    const keysOf = (ids: Iterable<string>) => [...ids].filter((id) => members.has(id)).sort().map((id) => members.get(id)!.keys);
    const raw = new Map((await decide(ctx, connection, keysOf(affected), hubs)).map((d) => [d.memberId, d]));
    if (!full) {
      // Rule 4 across runs: members not decided now whose last claim is a person claimed now (or claimed before by a
      // member decided now) are decided again, so that every claim on those persons is counted afresh.
      const persons = new Set<string>();
      for (const d of raw.values()) if (d.outcome === 'linked') persons.add(d.personId);
      for (const id of affected) if (stored.get(id)?.claim) persons.add(stored.get(id)!.claim!);
      const more = [...stored.values()].filter((s) => !affected.has(s.member_id) && s.claim !== null && persons.has(s.claim)).map((s) => s.member_id);
      for (const id of more) affected.add(id);
      for (const d of await decide(ctx, connection, keysOf(more), hubs)) raw.set(d.memberId, d);
    }
    const claims = new Map<string, number>();
    for (const s of stored.values()) if (!affected.has(s.member_id) && s.claim) claims.set(s.claim, (claims.get(s.claim) ?? 0) + 1);
    const decisions = resolveClaims([...raw.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : 1)), claims);

    const applied = await applyDecisions(ctx, connection, decisions, rejected, now);
    // Cases of members decided now that are linked now, or no longer a question: closed as superseded.
    const openCases = await repo.findOpenCases(ctx.db, tenantId, connection.id);
    await repo.supersedeCases(ctx.db, tenantId, openCases.filter((c) => (full || affected.has(c.memberId)) && !applied.keepOpen.has(c.memberId)).map((c) => c.id), now);

    // What this match decided, kept for the next one; members without a usable key any more leave the report.
    const decidedIds = decisions.map((d) => d.memberId);
    const heldAfter = await state.findLinks(ctx.db, tenantId, connection.id, decidedIds);
    const rawClaim = (id: string) => {
      const d = raw.get(id)!;
      return d.outcome === 'linked' ? d.personId : null;
    };
    await state.saveMemberMatches(
      ctx.db,
      tenantId,
      connection.id,
      decisions.map((d) => ({ member_id: d.memberId, input_hash: members.get(d.memberId)!.hash, claim: rawClaim(d.memberId), held: heldAfter.get(d.memberId) ?? [], fingerprint: applied.fingerprints.get(d.memberId) ?? null, tally: applied.tallies.get(d.memberId)! })),
    );
    await state.deleteMemberMatches(ctx.db, tenantId, connection.id, [...affected].filter((id) => !members.has(id)));
    await state.clearDirty(ctx.db, tenantId, connection.id, dirty.items);
    await state.saveRules(ctx.db, tenantId, connection.id, rules);

    const counts = emptyCounts();
    for (const tally of await state.findTallies(ctx.db, tenantId, connection.id)) addTally(counts, tally);
    const totals = await repo.countProfiles(ctx.db, tenantId, connection.id);
    const report: MatchReport = {
      at: now.toISOString(),
      members: await bulk.countLiveMembers(ctx),
      ...counts,
      coverage: 0,
      rate: null,
      rateAllWithKey: null,
      profiles: totals.profiles,
      liveProfiles: totals.live,
      linkedProfiles: totals.linked,
      stays: 0,
      staysOnMembers: 0,
      decided: decisions.length,
    };
    report.coverage = report.members > 0 ? report.usableKey / report.members : 0;
    const withProfile = report.usableKey - report.noPmsProfile - report.rejectedByStaff;
    report.rate = withProfile > 0 ? report.matched / withProfile : null;
    report.rateAllWithKey = report.usableKey > 0 ? report.matched / report.usableKey : null;
    return { report, newlyLinked: applied.newlyLinked, decided: decisions.length };
  }

  /**
   * Applies decisions a batch at a time in a few statements (links, review cases) and says what each counts for in the
   * report, with each review's fingerprint (a staff rejection of it is a change the next match looks at).
   */
  async function applyDecisions(ctx: TenantContext, connection: repo.ConnectionRow, decisions: MatchDecision[], rejected: Set<string>, now: Date) {
    const tallies = new Map<string, DecisionTally>();
    const fingerprints = new Map<string, string>();
    const keepOpen = new Set<string>();
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
        fingerprints.set(memberId, fingerprint);
        if (rejected.has(fingerprint)) return void tallies.set(memberId, REJECTED_TALLY);
        cases.push({ id: newId(), memberId, candidates, reasons, fingerprint });
        keepOpen.add(memberId);
        tallies.set(memberId, { outcome: 'review', reasons });
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
          tallies.set(memberId, { outcome: 'matched', tier: decision.tier });
          continue;
        }
        if (held > 0) {
          // Linked before (by staff, or by an earlier run): a link is never undone by a later guess.
          tallies.set(memberId, { outcome: 'matched', tier: 'kept' });
          continue;
        }
        if (decision.outcome === 'review') {
          review(memberId, decision.candidates, decision.reasons);
          continue;
        }
        tallies.set(memberId, unmatchedTally(decision.reasons));
      }
      const linked = await matchRepo.linkProfilesBatch(ctx.db, ctx.tenantId, connection.id, toLink, 'auto', now);
      for (const memberId of new Set(linked.map((l) => l.member_id))) if (!heldBy.has(memberId)) newlyLinked++;
      await matchRepo.upsertOpenCases(ctx.db, ctx.tenantId, connection.id, cases, now);
    }
    return { tallies, fingerprints, keepOpen, newlyLinked };
  }

  return { matchConnection };
}
