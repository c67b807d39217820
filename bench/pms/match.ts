/**
 * `npm run bench:pms-match`: the guest matcher scored on the PMS simulator's generated data and ground truth.
 *
 * Prints coverage, matchable members, the rate (correct links ÷ matchable members), precision, review and unmatched
 * counts by reason, what the misses were, every trap case, and how long normalising and matching took.
 * Environment: PMS_PROFILES (default 10,000), PMS_MEMBERS (default profiles ÷ 5), PMS_SEED, PMS_DIALECT (KTW|BACCHUS),
 * PMS_RESIDENT_SHARE (default 0.02; raise it to exercise converted resident numbers).
 */
import { generateDataSet } from '@innkeeper/pms-simulator';
import { runMatcher, scoreMatcher } from '../../apps/server/src/modules/pms/__tests__/match-score.ts';

const env = process.env;
const started = performance.now();
const data = generateDataSet({
  ...(env['PMS_SEED'] ? { seed: env['PMS_SEED'] } : {}),
  ...(env['PMS_PROFILES'] ? { profiles: Number(env['PMS_PROFILES']) } : {}),
  ...(env['PMS_MEMBERS'] ? { members: Number(env['PMS_MEMBERS']) } : {}),
  ...(env['PMS_DIALECT'] === 'BACCHUS' ? { dialect: 'BACCHUS' as const } : {}),
  ...(env['PMS_RESIDENT_SHARE'] ? { residentShare: Number(env['PMS_RESIDENT_SHARE']) } : {}),
});
const generated = performance.now();
const decisions = runMatcher(data);
const matched = performance.now();
const s = scoreMatcher(data, decisions);

const pct = (n: number) => `${(n * 100).toFixed(2)}%`;
console.log(`data: seed ${data.seed}, ${data.profiles.length} profiles, ${data.stays.length} stays, ${data.members.length} members, dialect ${data.dialect}`);
console.log(`time: generate ${Math.round(generated - started)} ms, normalise + match ${Math.round(matched - generated)} ms`);
console.log(`members with a PMS person: ${s.withPerson}; with a usable key (valid ID or verified mobile): ${s.usableKey} (coverage ${pct(s.usableKey / s.members)})`);
console.log(`matchable (share a usable key with their PMS person): ${s.matchable}`);
console.log(`linked: ${s.linked} (${JSON.stringify(s.byTier)}), correct ${s.linkedCorrect}, false ${s.linkedFalse}`);
console.log(`RATE (correct links ÷ matchable): ${pct(s.rate)}   goal ≥ 95%`);
console.log(`PRECISION (correct ÷ all links): ${pct(s.precision)}   goal ≥ 99.9%`);
console.log(`recall over every member with a PMS person: ${pct(s.recallAllWithPerson)}; profiles grouped under correct links: ${pct(s.profilesGrouped)}`);
console.log(`review: ${s.review} ${JSON.stringify(s.reviewReasons)}`);
console.log(`unmatched: ${s.unmatched} ${JSON.stringify(s.unmatchedReasons)}`);
console.log(`matchable but not linked: ${JSON.stringify(s.missedReasons)}`);
for (const [trap, t] of Object.entries(s.traps)) console.log(`trap ${trap}: ${t.members} members, ${t.linked} linked, ${t.falseLinks} false links`);
for (const f of s.falseLinks.slice(0, 20)) console.log(`FALSE LINK ${JSON.stringify(f)}`);
process.exitCode = s.linkedFalse > 0 ? 1 : 0;
