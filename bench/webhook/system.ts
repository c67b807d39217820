/** The machine the figures come from, and CPU time per process (Linux /proc), to see where a run spent its cores. */
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { cpuModel, loadAverage } from '../members/machine.ts';

export { loadAverage };

export type MachineInfo = { cpu: string; cores: number; ram: string; os: string; node: string; postgres: string; settings: string };

export async function describeMachine(client: pg.Client): Promise<MachineInfo> {
  const version = (await client.query<{ version: string }>('select version()')).rows[0]!.version;
  const names = ['shared_buffers', 'work_mem', 'max_connections', 'synchronous_commit', 'fsync', 'wal_level', 'autovacuum'];
  const settings = (await client.query<{ name: string; setting: string; unit: string | null }>('select name, setting, unit from pg_settings where name = any($1) order by name', [names])).rows;
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    ram: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: version.split(' on ')[0] ?? version,
    settings: settings.map((s) => `${s.name}=${s.setting}${s.unit && s.unit !== '' ? ` (${s.unit})` : ''}`).join(', '),
  };
}

export function printMachine(m: MachineInfo): void {
  console.log('Machine');
  console.log(`  CPU         ${m.cpu}, ${m.cores} cores available`);
  console.log(`  RAM         ${m.ram}`);
  console.log(`  OS          ${m.os}`);
  console.log(`  Node        ${m.node}`);
  console.log(`  PostgreSQL  ${m.postgres}`);
  console.log(`  settings    ${m.settings}`);
  console.log(`  load avg    ${loadAverage()} (other work on the machine skews the figures)`);
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far; NaN when it cannot be read (gone, or not Linux). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Measures the CPU used by named groups of processes between start() and stop(). */
export function cpuMeter(groups: Record<string, () => number[]>) {
  const before = new Map<string, Map<number, number>>();
  let started = 0n;
  let selfBefore = process.cpuUsage();
  return {
    start() {
      started = process.hrtime.bigint();
      selfBefore = process.cpuUsage();
      for (const [name, pids] of Object.entries(groups)) before.set(name, new Map(pids().map((pid) => [pid, cpuSeconds(pid)])));
    },
    /** Share of one core per group over the interval (1.0 = one core busy all the time). */
    stop(): Record<string, number> {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const self = process.cpuUsage(selfBefore);
      const out: Record<string, number> = { 'load generator': (self.user + self.system) / 1e6 / wall };
      for (const [name, pids] of Object.entries(groups)) {
        const start = before.get(name) ?? new Map<number, number>();
        let used = 0;
        for (const pid of pids()) {
          // A process that ended during the interval is left out; one that started counts from zero.
          const now = cpuSeconds(pid);
          const then = start.get(pid) ?? 0;
          if (Number.isFinite(now) && Number.isFinite(then)) used += now - then;
        }
        out[name] = used / wall;
      }
      return out;
    },
  };
}
