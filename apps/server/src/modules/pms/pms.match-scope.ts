import { createHash } from 'node:crypto';
import type { MemberKeys } from './pms.matching.ts';
import type { MemberMatchRow } from './pms.match-state.repository.ts';

/**
 * Which members a sync decides again (pms.match-pass.ts). A member's decision depends on its own keys, on its
 * "component" (the profiles reachable from its keys through shared non-hub keys and merge pointers: the persons the
 * rules build), on which of those keys are hubs, on the links members hold, on staff rejections and on rule 4 (a
 * person claimed by two members). So a member is decided again when:
 *  - its keys changed (input hash), it is new, or it no longer has a usable key (it leaves the report);
 *  - the profiles it holds changed (a staff link, a member merge, an erasure, a deleted profile): those profiles are
 *    changes for every member around them too;
 *  - its review case's candidates were rejected by staff since;
 *  - its component touches a changed profile: the caller expands, from every key and code a profile write noted
 *    (before and after the write, pms_match_dirty), the profiles now around them, and every member holding one of
 *    their keys is decided again. A key whose hub status changed is a key some written profile held before or after,
 *    so the members around it are found the same way.
 * Rule 4 is handled by the caller after deciding (claims stored per member).
 */

export function inputHash(keys: MemberKeys): string {
  return createHash('sha256').update(JSON.stringify(keys)).digest('base64url');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

/**
 * The members to decide again before looking at profile changes, and the profile codes whose links changed (seeds
 * for the component walk, with the noted profile changes).
 */
export function membersWithChangedInputs(
  members: ReadonlyMap<string, { hash: string }>,
  stored: ReadonlyMap<string, MemberMatchRow>,
  links: ReadonlyMap<string, string[]>,
  rejected: ReadonlySet<string>,
): { affected: Set<string>; linkCodes: Set<string> } {
  const affected = new Set<string>();
  const linkCodes = new Set<string>();
  for (const [id, m] of members) {
    const s = stored.get(id);
    if (!s || s.input_hash !== m.hash) affected.add(id);
  }
  for (const [id, s] of stored) {
    if (!members.has(id)) affected.add(id);
    const now = links.get(id) ?? [];
    if (!sameSet(now, s.held)) {
      affected.add(id);
      const before = new Set(s.held);
      const after = new Set(now);
      for (const c of now) if (!before.has(c)) linkCodes.add(c);
      for (const c of s.held) if (!after.has(c)) linkCodes.add(c);
    }
    if (s.fingerprint && s.tally.outcome === 'review' && rejected.has(s.fingerprint)) affected.add(id);
  }
  // Profiles held by members with no stored decision (no usable key): their links matter to the members around them.
  for (const [id, codes] of links) if (!stored.has(id) && !members.has(id)) for (const c of codes) linkCodes.add(c);
  return { affected, linkCodes };
}
