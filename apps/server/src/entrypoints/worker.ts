import { closeRuntime, createRuntime } from '../app/runtime.ts';
import { loadConfig } from '../config/config.ts';
import { dropRootProblem } from '../modules/pms/index.ts';

// A worker process: runs background jobs and schedules. Several can run against one PostgreSQL; pg-boss hands each
// job to exactly one of them.
const config = loadConfig();
if (!config.databaseUrl) {
  console.error('npm run worker needs DATABASE_URL: the embedded database belongs to the single `npm start` process.');
  process.exit(1);
}
const runtime = await createRuntime(config);
await runtime.queue.start({ work: true });
runtime.logger.info('worker started');
// The worker reads the PMS drop folders: a PMS_DROP_ROOT it cannot use is said at start, not found out from silence.
const dropProblem = await dropRootProblem(config.pms.dropRoot);
if (dropProblem) runtime.logger.error(dropProblem);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await closeRuntime(runtime);
    process.exit(0);
  });
}
