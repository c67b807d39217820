import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

/** The simulator as benchmarks and crash tests run it: its own process, configured by its environment. */
describe('the simulator in its own process', () => {
  it('takes LINE’s round trip, faults, burst and the same-user limit from its environment', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        LINE_SIM_PORT: '0',
        LINE_SIM_LATENCY_MS: '80',
        LINE_SIM_LATENCY_JITTER_MS: '40',
        LINE_SIM_FAULTS: JSON.stringify({ errorAfterAcceptRate: 0.01, errorRate: 0.05 }),
        LINE_SIM_RATE_BURST_MS: '20',
        LINE_SIM_SAME_USER_LIMIT: '20/60000',
        LINE_SIM_STRICT_HTTPS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
      });
      const { channels } = (await (await fetch(`${url}/_sim/channels`)).json()) as { channels: Array<{ faults: Record<string, unknown>; sameUserLimit: unknown }> };
      expect(channels[0]!.faults).toMatchObject({ latencyMs: 80, latencyJitterMs: 40, errorRate: 0.05, errorAfterAcceptRate: 0.01 });
      expect(channels[0]!.sameUserLimit).toEqual({ messages: 20, periodMs: 60000 });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
