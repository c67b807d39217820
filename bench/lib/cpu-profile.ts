/**
 * A V8 CPU profile (`--cpu-prof`) summarized per function: self time, and time including callees, in milliseconds and
 * per request when the number of requests the process answered is given. Used to compare the API's redirect with the
 * bare handler's, function by function (bench/README.md, "Tracked links").
 *
 *   node scripts/node.cjs bench/lib/cpu-profile.ts <file.cpuprofile> [requests] [top=40] [filter]
 */
import fs from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const [file, requestsArg, topArg, filter] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile.ts <file.cpuprofile> [requests] [top] [filter]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const requests = Number(requestsArg ?? 0);
const top = Number(topArg ?? 40);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i += 1) selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
const short = (url: string) => url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/(apps|bench)\//, '$1/').replace(/^node:/, '');
const nameOf = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (const [id, us] of selfUs) {
  all += us;
  const node = byId.get(id)!;
  self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + us);
  // Inclusive: once per distinct function on the stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = nameOf(byId.get(at)!);
    if (seen.has(name)) continue;
    seen.add(name);
    total.set(name, (total.get(name) ?? 0) + us);
  }
}
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((n, [, v]) => n + v, 0);
const busy = all - idle;
const per = (us: number) => (requests > 0 ? `${((us / 1000 / requests) * 1000).toFixed(2)} µs/req` : '');
console.log(`${file}: ${(all / 1e6).toFixed(2)} s sampled, busy ${(busy / 1e6).toFixed(2)} s (${((busy / all) * 100).toFixed(1)} %)${requests ? `, ${requests} requests: busy ${per(busy)}` : ''}`);
const show = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / all) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${per(us).padStart(12)}  ${name}`);
  }
};
show('self time', self);
show('with callees', total);
