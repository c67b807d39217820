/**
 * The LINE platform for `npm run bench:push`: the bundled simulator in a process of its own, as strict as LINE (HTTPS
 * media URLs only, LINE's rate limits with a small burst, Flex values checked), with the benchmark's guests as friends.
 * run.ts talks to it over IPC:
 *   → { setup: { channel, friends, file } }   ← { url, friends }     (the friends' user ids written to `file`, one a line)
 *   → { faults: {...} }                        ← { faults }           (the channel's faults: latency, 5xx, timeouts)
 *   → { check: { unit, text } }                ← { check }            (per-guest counts of one campaign, below)
 * The check counts deliveries per guest of one campaign twice, by its aggregation unit and by its text (never by retry
 * key, so a re-send under another key is caught), against the whole audience: duplicates (guests who got it more than
 * once), duplicate ids inside one multicast, missing friends (losses) and guests who got it without being asked.
 * Between runs run.ts clears the sends, counters and retry keys over HTTP (POST /_sim/channels/:id/reset, friends kept).
 */
import fs from 'node:fs';
import { startSimulator } from '@innkeeper/line-simulator';
// The header's name only: sent-at.ts itself wraps fetch, which this process must not.
import { SENT_AT_HEADER } from './sent-at-header.ts';

type Setup = { channel: { channelId: string; channelSecret: string; channelAccessToken: string }; friends: number; file: string };
type Message = { setup: Setup } | { faults: Record<string, unknown> } | { check: { unit: string; text: string } };

// The workers stamp when each request left (sent-at.ts): LINE's rate limit is judged at that time plus the way there.
const sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 'innkeeper-bench-push', strictHttps: true, timelineLimit: 5, sentAtHeader: SENT_AT_HEADER });
let channelId = '';
let audience: string[] = [];

function summary(view: ReturnType<typeof sim.sim.deliveries>) {
  return {
    requests: view.sendCount,
    guests: view.users,
    deliveries: view.deliveries,
    duplicates: view.duplicates.length,
    extraDeliveries: view.duplicates.reduce((n, d) => n + d.count - 1, 0),
    duplicateIdsInRequests: view.duplicateIdsInRequests.reduce((n, r) => n + r.userIds.length, 0),
    missing: view.audience?.missing.length ?? 0,
    unexpected: view.audience?.unexpected.length ?? 0,
    exactlyOnce: view.exactlyOnce,
  };
}

process.on('message', (message: Message) => {
  if ('setup' in message) {
    const { channel, friends, file } = message.setup;
    channelId = channel.channelId;
    sim.sim.createChannel({ ...channel, displayName: '山嵐飯店（推播壓測）', basicId: '@bench-push' });
    audience = sim.sim.addFriends(channelId, { count: friends, seed: 'bench-push-guests', state: 'friend' }).map((u) => u.userId);
    fs.writeFileSync(file, audience.join('\n'));
    process.send?.({ url: sim.url, friends: audience.length });
  } else if ('faults' in message) {
    sim.sim.updateChannel(channelId, { faults: message.faults });
    process.send?.({ faults: sim.sim.channel(channelId).faults });
  } else if ('check' in message) {
    const byUnit = sim.sim.unitDeliveries(channelId, message.check.unit, { audience, summary: true });
    const byText = sim.sim.deliveries(channelId, { textContains: message.check.text }, { audience, summary: true });
    const counters = sim.sim.counters(channelId);
    process.send?.({ check: { byUnit: summary(byUnit), byText: summary(byText), requests: counters.requests, faults: counters.faults, rateLimited: counters.rateLimited, retryKeyConflicts: counters.retryKeyConflicts } });
  }
});
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
process.send?.({ ready: true });
// Stopped by run.ts: exit as usual, so a CPU profile (BENCH_SIM_PROF) is written.
process.on('SIGTERM', () => process.exit(0));
