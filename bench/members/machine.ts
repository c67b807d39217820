import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { formatBytes, formatMs, summarise, timed } from './stats.ts';

export type MachineInfo = {
  cpu: string;
  cores: number;
  ram: string;
  os: string;
  node: string;
  postgres: string;
  settings: Record<string, string>;
  /** Median time of `select count(*) from generate_series(1, 5000000)`: one core's speed, as PostgreSQL sees it right now. */
  calibrationMs: number;
};

const SETTINGS = ['shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'max_parallel_workers_per_gather', 'jit'];

/** The CPU's model name (Linux /proc/cpuinfo, else what Node reports). Shared with bench/webhook. */
export function cpuModel(): string {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export async function describeMachine(client: pg.Client): Promise<MachineInfo> {
  const version = (await client.query<{ version: string }>('select version()')).rows[0]!.version;
  const settings: Record<string, string> = {};
  for (const name of SETTINGS) settings[name] = (await client.query<{ setting: string }>(`select current_setting($1) as setting`, [name])).rows[0]!.setting;
  return {
    calibrationMs: await calibrate(client),
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    ram: formatBytes(os.totalmem()),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: version,
    settings,
  };
}

/** A fixed single-core workload, to compare machines (and the same machine under other load) with each other. */
export async function calibrate(client: pg.Client): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i += 1) samples.push((await timed(() => client.query('select count(*) from generate_series(1, 5000000)'))).ms);
  return summarise(samples).median;
}

/** Other work on the machine skews timings: the 1/5/15-minute load averages go with every result. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

export function printMachine(m: MachineInfo): void {
  console.log('Machine');
  console.log(`  CPU         ${m.cpu}, ${m.cores} cores available`);
  console.log(`  RAM         ${m.ram}`);
  console.log(`  OS          ${m.os}`);
  console.log(`  Node        ${m.node}`);
  console.log(`  PostgreSQL  ${m.postgres}`);
  console.log(`  settings    ${Object.entries(m.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  console.log(`  load avg    ${loadAverage()} (1 / 5 / 15 min)`);
  console.log(`  one core    ${formatMs(m.calibrationMs)} for select count(*) from generate_series(1, 5000000)`);
}
