/**
 * `npm run bench:line-pacing`: how fast the shared LINE send pace (modules/line/send-pacing.ts) hands out slots.
 *
 * Every push and multicast reserves its slot with one upsert on its channel's row in `line_send_pacing`, inside a tenant
 * transaction, so one channel's sends are serialised on one row. LINE allows 2,000 pushes/s per channel (Innkeeper
 * paces at 1,900); this measures whether the row keeps up, from one and from three worker processes (connection
 * pools), at several numbers of callers at once:
 *   1. unpaced reservations (a rate far above any wait) per second, and the latency of one reservation (p50 / p99);
 *   2. callers that reserve and then wait for their slot at push's real pace (1,900/s): slots granted per second.
 * In a fresh database on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
 * BENCH_RUNS (default 5) runs each; the median is printed.
 */
import { openDatabase, type Database } from '../../apps/server/src/core/db/database.ts';
import { migrate } from '../../apps/server/src/core/db/migrate.ts';
import { newId } from '../../apps/server/src/core/ids.ts';
import { createSendPacing } from '../../apps/server/src/modules/line/index.ts';
import { connect, DEFAULT_DATABASE_URL, freshDatabaseName, withDatabaseName } from '../members/database.ts';
import { describeMachine, loadAverage, printMachine } from '../members/machine.ts';
import { formatCount, summarise, table } from '../members/stats.ts';

const env = process.env;
if (!env.DATABASE_URL) console.log(`DATABASE_URL is not set: using ${DEFAULT_DATABASE_URL}`);
const serverUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
const runs = Number(env.BENCH_RUNS ?? '5');
const RESERVATIONS = 3000;
const PACED_MS = 2000;

const admin = await connect(serverUrl);
printMachine(await describeMachine(admin));
const name = `${freshDatabaseName()}_pacing`;
await admin.query(`create database ${name}`);
const url = withDatabaseName(serverUrl, name);
const pools: Database[] = [];
try {
  const first = await openDatabase({ engine: 'postgres', connectionString: url, poolSize: 32 });
  pools.push(first);
  await migrate(first);
  // A tenant and a channel row, as the owner: the pace is keyed by them (foreign key, row-level security).
  const tenantId = newId();
  const channelId = newId();
  await first.ownerTransaction(async (owner) => {
    await owner.query(`insert into tenants (id, slug, name, kind) values ($1, $2, 'Pacing bench', 'hotel')`, [tenantId, `pacing-${tenantId.slice(0, 8)}`]);
    await owner.query(`insert into line_channels (tenant_id, id, name, channel_id, channel_secret_encrypted, access_token_encrypted) values ($1, $2, 'bench', '2009000001', 'x', 'x')`, [tenantId, channelId]);
  });
  for (let i = 1; i < 3; i++) pools.push(await openDatabase({ engine: 'postgres', connectionString: url, poolSize: 32 }));
  const channel = { tenantId, id: channelId };

  console.log(`\nLoad average before: ${loadAverage()}\n`);
  const rows: string[][] = [];
  for (const processes of [1, 3]) {
    for (const callers of [1, 16, 64]) {
      const perSecond: number[] = [];
      const p50: number[] = [];
      const p99: number[] = [];
      for (let run = 0; run < runs; run++) {
        const pacers = pools.slice(0, processes).map((db) => createSendPacing({ db, pace: { push: { perSecond: 1e9, burst: 1 } } }));
        const latencies: number[] = [];
        let left = RESERVATIONS;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: callers }, async (_, c) => {
            const pacer = pacers[c % processes]!;
            while (left-- > 0) {
              const t = performance.now();
              await pacer.reserve(channel, 'push');
              latencies.push(performance.now() - t);
            }
          }),
        );
        perSecond.push(RESERVATIONS / ((performance.now() - started) / 1000));
        latencies.sort((a, b) => a - b);
        p50.push(latencies[Math.floor(latencies.length * 0.5)]!);
        p99.push(latencies[Math.floor(latencies.length * 0.99)]!);
      }
      rows.push([String(processes), String(callers), formatCount(Math.round(summarise(perSecond).median)), summarise(p50).median.toFixed(2), summarise(p99).median.toFixed(2)]);
    }
  }
  console.log('1. Unpaced reservations on one channel row (each its own tenant transaction)');
  console.log(table(['processes', 'callers', 'reservations/s (median)', 'p50 ms', 'p99 ms'], rows));

  const paced: string[][] = [];
  for (const processes of [1, 3]) {
    const granted: number[] = [];
    for (let run = 0; run < runs; run++) {
      const pacers = pools.slice(0, processes).map((db) => createSendPacing({ db, maxWaitMs: 2000 }));
      let count = 0;
      const until = performance.now() + PACED_MS;
      await Promise.all(
        Array.from({ length: 64 }, async (_, c) => {
          const pacer = pacers[c % processes]!;
          while (performance.now() < until) {
            const slot = await pacer.reserve(channel, 'push');
            if ('waitMs' in slot) {
              await new Promise((r) => setTimeout(r, slot.waitMs));
              if (performance.now() <= until) count++;
            } else await new Promise((r) => setTimeout(r, slot.busyForMs));
          }
        }),
      );
      granted.push(count / (PACED_MS / 1000));
      // Let the booked-ahead slots pass before the next run.
      await new Promise((r) => setTimeout(r, 2500));
    }
    paced.push([String(processes), '64', formatCount(Math.round(summarise(granted).median)), '1,900']);
  }
  console.log('\n2. Callers waiting for their slot at push’s pace');
  console.log(table(['processes', 'callers', 'sends started/s (median)', 'pace'], paced));
  console.log(`\nLoad average after: ${loadAverage()}`);
} finally {
  for (const db of pools) await db.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
