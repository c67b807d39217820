/**
 * The benchmarks' child processes: how each is started and when it is ready. A forked helper (a LINE simulator, a bare
 * handler) says so over IPC; an Innkeeper worker, started as `npm run worker` starts it in the measured checkout, is
 * ready when its log says "worker started" (the entrypoint logs it once its queue runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first IPC message of `child` that `accept` takes; rejects if the child exits first or stays silent too long. */
export function nextMessage<T>(child: ChildProcess, accept: (message: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child ${child.pid} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: Record<string, unknown>) => {
      if (!accept(message)) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${code}) before answering`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * The Node.js flags that checkout's `npm run worker` gives the worker (the words between scripts/node.cjs and the
 * script), so that an A/B run measures each checkout's worker as it is deployed.
 */
export function workerNodeFlags(appRoot: string): string[] {
  const script: string = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')).scripts?.worker ?? '';
  const words = script.split(/\s+/);
  const flags: string[] = [];
  for (const word of words.slice(words.indexOf('scripts/node.cjs') + 1)) {
    if (!word.startsWith('--')) break;
    if (word !== '--web' && word !== '--prepare') flags.push(word);
  }
  return flags;
}

/** V8 CPU profile flags for a process named `name`, when a directory for them was asked for. */
export function cpuProfileFlags(dir: string | undefined, name: string, stamp: string): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${stamp}.cpuprofile`] : [];
}

/**
 * An Innkeeper worker process of the checkout at `appRoot`, as its `npm run worker` runs it, logging to
 * `<logDir>/<name>.log`. `ready` resolves once it has started its queue, and rejects if it exits or has not started
 * within a minute.
 */
export function spawnWorker(options: { appRoot: string; name: string; logDir: string; env: NodeJS.ProcessEnv; nodeFlags?: string[] }): { child: ChildProcess; log: string; ready: Promise<void> } {
  const { appRoot, name, logDir, env } = options;
  const log = path.join(logDir, `${name}.log`);
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...workerNodeFlags(appRoot), path.join(appRoot, 'apps/server/src/entrypoints/worker.ts')], {
    cwd: appRoot,
    env,
    stdio: ['ignore', fs.openSync(log, 'a'), fs.openSync(log, 'a')],
  });
  const ready = (async () => {
    for (let i = 0; i < 1200; i += 1) {
      if (child.exitCode !== null) throw new Error(`worker ${name} exited (${child.exitCode}); see ${log}`);
      if (fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('"worker started"')) return;
      await sleep(50);
    }
    throw new Error(`worker ${name} did not start; see ${log}`);
  })();
  return { child, log, ready };
}

/** Stops a child process and waits for it to exit; one paused with SIGSTOP is woken first, or it could not exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  await exited;
}
