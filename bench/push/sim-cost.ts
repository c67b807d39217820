/**
 * `node scripts/node.cjs bench/push/sim-cost.ts`: the LINE simulator's own CPU per multicast of 500, without the
 * engine or PostgreSQL. The simulator runs as bench:push runs it (bench/push/simulator.ts, its own process, strict,
 * LINE's rate limits); this process sends SIM_COST_REQUESTS multicasts of 500 distinct friends (one text, a
 * customAggregationUnits name, a retry key each) paced below LINE's 200/s, then asks for the bench's per-guest check.
 * Printed: the simulator's CPU seconds (/proc) for the sending and for the check, per multicast and per recipient.
 * SIM_COST_FRIENDS (default 100,000) friends; SIM_COST_PROF=<dir> writes the simulator's CPU profile.
 */
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from '../webhook/system.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FRIENDS = Number(process.env.SIM_COST_FRIENDS ?? 100_000);
const REQUESTS = Number(process.env.SIM_COST_REQUESTS ?? FRIENDS / 500);
const RATE = 180; // multicasts/s, under LINE's 200 with its small bucket
const CONCURRENCY = 16;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-cost-'));
const prof = process.env.SIM_COST_PROF;
const sim = fork(path.join(HERE, 'simulator.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, '--max-old-space-size=8192', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])] });
const next = <T>(pred: (m: any) => boolean) => new Promise<T>((resolve) => {
  const on = (m: any) => {
    if (pred(m)) {
      sim.off('message', on);
      resolve(m);
    }
  };
  sim.on('message', on);
});
await next((m) => m.ready === true);
const line = { channelId: '2009100009', channelSecret: crypto.randomBytes(16).toString('hex'), channelAccessToken: crypto.randomBytes(32).toString('base64url') };
const file = path.join(dir, 'friends.txt');
sim.send({ setup: { channel: line, friends: FRIENDS, file } });
const { url } = await next<{ url: string }>((m) => typeof m.url === 'string');
const ids = fs.readFileSync(file, 'utf8').split('\n');
const unit = 'csimcost';
const text = `模擬器成本 ${Date.now()}`;

const cpu0 = cpuSeconds(sim.pid!);
const t0 = performance.now();
const statuses = new Map<number, number>();
let sent = 0;
async function lane() {
  for (;;) {
    const i = sent++;
    if (i >= REQUESTS) return;
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const to = Array.from({ length: 500 }, (_, k) => ids[(i * 500 + k) % ids.length]!);
    const res = await fetch(`${url}/v2/bot/message/multicast`, {
      method: 'POST',
      headers: { authorization: `Bearer ${line.channelAccessToken}`, 'content-type': 'application/json', 'x-line-retry-key': crypto.randomUUID() },
      body: JSON.stringify({ to, messages: [{ type: 'text', text }], customAggregationUnits: [unit] }),
    });
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, lane));
const sendCpu = cpuSeconds(sim.pid!) - cpu0;
const wall = (performance.now() - t0) / 1000;
const cpu1 = cpuSeconds(sim.pid!);
sim.send({ check: { unit, text } });
const { check } = await next<{ check: any }>((m) => m.check !== undefined);
const checkCpu = cpuSeconds(sim.pid!) - cpu1;
console.log(JSON.stringify({ friends: FRIENDS, requests: REQUESTS, statuses: Object.fromEntries(statuses), wallS: +wall.toFixed(2), simCpuS: +sendCpu.toFixed(2), msPerMulticast: +((sendCpu * 1000) / REQUESTS).toFixed(2), usPerRecipient: +((sendCpu * 1e6) / (REQUESTS * 500)).toFixed(2), checkCpuS: +checkCpu.toFixed(2), byUnit: check.byUnit, byText: check.byText }));
sim.kill('SIGTERM');
await new Promise((r) => sim.once('exit', r));
fs.rmSync(dir, { recursive: true, force: true });
